/*
 * virquestion.c: questions that block a task (virquestion.h).
 */
#include <string.h>
#include <glib.h>

#include "virquestion.h"
#include "virerror.h"
#include "virlog.h"

#define VIR_FROM_THIS VIR_FROM_NONE

VIR_LOG_INIT("drivers.question");

virQuestion *
virQuestionNew(const char *id, const char *text, const char *const *answers, int defaultAnswer)
{
    virQuestion *q = g_new0(virQuestion, 1);

    q->id = g_strdup(id);
    q->text = g_strdup(text);
    q->answers = g_strdupv((char **)answers);
    q->defaultAnswer = defaultAnswer;
    return q;
}

virQuestion *
virQuestionCopy(const virQuestion *q)
{
    return q ? virQuestionNew(q->id, q->text, (const char *const *)q->answers,
                              q->defaultAnswer) : NULL;
}

void
virQuestionFree(virQuestion *q)
{
    if (!q)
        return;
    g_free(q->id);
    g_free(q->text);
    g_strfreev(q->answers);
    g_free(q);
}

void
virQuestionStateClear(virQuestionState *st)
{
    g_clear_pointer(&st->question, virQuestionFree);
    st->answered = false;
    st->answer = 0;
}

static char *
virQuestionAnswerList(const virQuestion *q)
{
    GString *buf = g_string_new(NULL);

    for (size_t i = 0; q->answers && q->answers[i]; i++)
        g_string_append_printf(buf, "%s'%s'", i ? ", " : "", q->answers[i]);
    return g_string_free(buf, FALSE);
}

void
virQuestionReport(const virQuestion *q)
{
    g_autofree char *answers = virQuestionAnswerList(q);

    if (*answers)
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Pending question blocks virtual machine execution, question is '%s', "
                       "possible answers are %s", q->text, answers);
    else
        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Pending question blocks virtual machine execution, question is '%s', "
                       "no possible answers", q->text);
}

static bool
virQuestionHasDefault(const virQuestion *q)
{
    return q->defaultAnswer >= 0 && q->defaultAnswer < (int)g_strv_length(q->answers);
}

/* With autoAnswer and a default: the default (logged), else -1 with
 * the error (libvirt's text when there is no default to give). */
static int
virQuestionAnswerDefault(const virQuestion *q, bool autoAnswer)
{
    if (!autoAnswer) {
        virQuestionReport(q);
        return -1;
    }
    if (!virQuestionHasDefault(q)) {
        g_autofree char *answers = virQuestionAnswerList(q);

        virReportError(VIR_ERR_INTERNAL_ERROR,
                       "Pending question blocks virtual machine execution, question is '%s', "
                       "possible answers are %s, but no default answer is specified",
                       q->text, answers);
        return -1;
    }
    VIR_INFO("Pending question blocks virtual machine execution, question is '%s', "
             "responding with default answer '%s'", q->text, q->answers[q->defaultAnswer]);
    return q->defaultAnswer;
}

int
virQuestionHandlePending(virQuestionState *st, bool autoAnswer)
{
    int answer;

    if (!st->question || st->answered)
        return 0;
    if ((answer = virQuestionAnswerDefault(st->question, autoAnswer)) < 0)
        return -1;
    st->answered = true;
    st->answer = answer;
    return 0;
}

int
virQuestionAsk(virQuestionState *st, const virQuestion *q, bool autoAnswer)
{
    int answer;

    if (st->question && st->answered && strcmp(st->question->id, q->id) == 0) {
        answer = st->answer;
        virQuestionStateClear(st);
        VIR_INFO("question '%s' answered '%s' before this task", q->text,
                 answer < (int)g_strv_length(q->answers) ? q->answers[answer] : "?");
        return answer;
    }
    if ((answer = virQuestionAnswerDefault(q, autoAnswer)) < 0) {
        virQuestionSetPending(st, q);
        return -1;
    }
    return answer;
}

void
virQuestionSetPending(virQuestionState *st, const virQuestion *q)
{
    virQuestionStateClear(st);
    st->question = virQuestionCopy(q);
}
