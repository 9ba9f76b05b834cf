/*
 * virquestion.h: a task that cannot go on without a decision (DESIGN
 * rule 8, docs/jobs.md "Questions").
 *
 * A question has an ID (which decision it is: the same question asked
 * again has the same ID), a text, its possible answers and a default. A
 * connection opened with auto_answer=1 gives the default and the task goes
 * on; otherwise the call fails with VIR_ERR_INTERNAL_ERROR naming the
 * question and its answers (libvirt's ESX driver's wording), the task is
 * cancelled, and the question stays pending on the domain: before any
 * later task on that domain starts, virQuestionHandlePending reports it
 * again, or with auto_answer=1 answers it with the default. That answer is
 * kept and given, once, to the next task that asks the same question.
 *
 * Locking: none here; a domain's questions are guarded by its driver's
 * lock, and nothing here blocks.
 */
#pragma once

#include <stdbool.h>

typedef struct _virQuestion virQuestion;
struct _virQuestion {
    char *id;
    char *text;
    char **answers;             /* NULL-terminated, at least one */
    int defaultAnswer;          /* index into answers */
};

/* A domain's questions: one pending at a time, or one answered. */
typedef struct {
    virQuestion *question;      /* NULL: none */
    bool answered;              /* answered before a task: kept for it */
    int answer;
} virQuestionState;

virQuestion *virQuestionNew(const char *id, const char *text, const char *const *answers,
                            int defaultAnswer);
virQuestion *virQuestionCopy(const virQuestion *q);
void virQuestionFree(virQuestion *q);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(virQuestion, virQuestionFree)
void virQuestionStateClear(virQuestionState *st);

/* Report q as libvirt does: "Pending question blocks virtual machine
 * execution, question is 'TEXT', possible answers are 'A', 'B'". */
void virQuestionReport(const virQuestion *q);

/* Before a task starts: 0 when nothing is pending (or it was answered
 * now, with autoAnswer); -1 with the question's error otherwise. */
int virQuestionHandlePending(virQuestionState *st, bool autoAnswer);

/* A task asks q: the answer kept for it, else with autoAnswer the
 * default (logged); else -1 with the question's error, and q is pending
 * on st (the caller cancels the task). */
int virQuestionAsk(virQuestionState *st, const virQuestion *q, bool autoAnswer);

/* Make q pending on st (a question a helper posed and nobody answered). */
void virQuestionSetPending(virQuestionState *st, const virQuestion *q);
