# lxc-test-lib.sh: sourced by the shell tests that run containers through
# a virtnetd of their own (test-lxc-virsh.sh, test-lxc-agent-virsh.sh).

# Kill what a failed test left running: each container's init and
# controller, found by the pids in the state files in $1.
lxc_kill_leftovers() {
    local f pid init
    for f in "$1"/*.xml; do
        [ -e "$f" ] || continue
        pid=$(sed -n "s/.* pid='\([0-9]*\)'.*/\1/p" "$f" | head -1)
        init=$(sed -n "s/.* initpid='\([0-9]*\)'.*/\1/p" "$f" | head -1)
        [ -n "$init" ] && kill -9 "$init" 2> /dev/null
        [ -n "$pid" ] && kill -9 "$pid" 2> /dev/null
    done
}
