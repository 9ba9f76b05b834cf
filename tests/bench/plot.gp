# plot.gp: calls/s and p99 latency against connections, virtnetd and libvirtd.
#   gnuplot -e "dir='OUT'" tests/bench/plot.gp     -> OUT/bench.png
# Input: OUT/<daemon>-<workload>-<inflight>.dat, lines "connections calls/s p99_us",
# written by tests/bench/run-bench.sh from results.csv. Series whose file is
# missing or empty (libvirtd skipped) are left out.
if (!exists("dir")) dir = "bench-out"

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 1400,1000 font ",10"
} else {
    set terminal png size 1400,1000 font ",10"
}
set output dir."/bench.png"
set multiplot layout 2,2 title "virtnetd (solid) vs libvirtd 9.0 (dashed): test:///default over UNIX sockets, K = calls in flight per connection"
set logscale x 2
set grid
set key top left font ",9"
set xlabel "connections"

# series 1..4: virtnetd K=1, virtnetd K=4, libvirtd K=1, libvirtd K=4
set style line 1 linecolor rgb "#1f77b4" dashtype 1 linewidth 2 pointtype 7
set style line 2 linecolor rgb "#d62728" dashtype 1 linewidth 2 pointtype 7
set style line 3 linecolor rgb "#1f77b4" dashtype 2 linewidth 2 pointtype 6
set style line 4 linecolor rgb "#d62728" dashtype 2 linewidth 2 pointtype 6
daemon(i) = (i <= 2 ? "virtnetd" : "libvirtd")
inflight(i) = (i % 2 == 1 ? "1" : "4")
file(w, i) = dir."/".daemon(i)."-".w."-".inflight(i).".dat"
present(f) = int(system("test -s '".f."' && echo 1 || echo 0"))
src(w, i) = (present(file(w, i)) ? file(w, i) : "< true")

do for [w in "null lookup-info"] {
    set title w.": calls/s"
    set ylabel "calls/s"
    unset logscale y
    set yrange [0:*]
    plot for [i=1:4] src(w, i) using 1:2 with linespoints linestyle i \
        title daemon(i)." K=".inflight(i)
    set title w.": p99 latency"
    set ylabel "p99 (us)"
    set logscale y
    set yrange [*:*]
    plot for [i=1:4] src(w, i) using 1:3 with linespoints linestyle i \
        title daemon(i)." K=".inflight(i)
}
unset multiplot
