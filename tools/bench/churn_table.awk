# The churn table from churn.raw lines "setup round family cpu_ns wall_ns".
#   awk -f churn_table.awk -v tsv=FILE churn.raw
# Per family and setup: the median over rounds of the best batch's ns per
# iteration, its min and max over rounds, and the ns each traced syscall
# costs more than untraced: the median over rounds of (setup - none) in the
# same round, so that a round the machine was busier cancels out, divided
# by the syscalls an iteration makes. Ratios compare those added costs.
# The clock is the process's CPU time, except for strace: a ptrace stop
# makes the process wait for the tracer, so its cost is in wall time only
# (and is compared with the untraced run's wall time).
function sort_n(a, c,    i, j, t) {
	for (i = 2; i <= c; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
}

function median(a, c) {
	sort_n(a, c)
	return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}

# the median per-round difference to the untraced run, per syscall; the
# least and the most of those differences in amin, amax
function added(s, f,    r, c, d, base, m) {
	c = 0
	for (r = 1; r <= maxr; r++)
		if ((s, f, r) in v && ("none", f, r) in v) {
			base = s == "strace" ? w["none", f, r] : v["none", f, r]
			d[++c] = v[s, f, r] - base
		}
	if (!c) {
		amin = amax = "nan"
		return "nan"
	}
	m = median(d, c)
	amin = d[1] / per[f]
	amax = d[c] / per[f]
	return m / per[f]
}

function num(x, none) {
	return x == "nan" ? none : sprintf("%.1f", x)
}

function ratio(a, b) {
	return (a != "nan" && b != "nan" && b > 0) ? sprintf("%.2f", a / b) : "-"
}

BEGIN {
	# syscalls per iteration (mixed: open 2, socket 2, pipe 3, mmap 2 over 4)
	per["open_close"] = 2; per["socket_close"] = 2; per["pipe_close"] = 3
	per["mmap_munmap"] = 2; per["mixed"] = 2.25
	per["thread_create_join"] = 1  # not a syscall count: per thread
	nfam = split("open_close socket_close pipe_close mmap_munmap thread_create_join mixed", fams, " ")
	nset = split("none floor ls_cmd ls_cmd_s0 ls_sys bpftrace strace valgrind", sets, " ")
}

{
	v[$1, $3, $2] = $1 == "strace" ? $5 : $4
	w[$1, $3, $2] = $5
	seen[$1, $3] = 1
	if ($2 > maxr)
		maxr = $2
}

END {
	printf "%-18s %-9s %5s %10s %10s %10s %9s %8s %8s %7s %7s\n", "family", "setup", "clock",
		"median_ns", "min_ns", "max_ns", "+ns/call", "+min", "+max", "x_floor", "x_bpftr"
	print "family\tsetup\tclock\tcalls_per_iter\tmedian_ns\tmin_ns\tmax_ns\tadded_ns_per_call\tratio_to_floor\tratio_to_bpftrace\trounds\tadded_min\tadded_max" > tsv
	for (i = 1; i <= nfam; i++) {
		f = fams[i]
		af = added("floor", f)
		ab = added("bpftrace", f)
		for (j = 1; j <= nset; j++) {
			s = sets[j]
			if (!((s, f) in seen))
				continue
			c = 0
			lo = 1e18; hi = 0
			for (r = 1; r <= maxr; r++)
				if ((s, f, r) in v) {
					x = v[s, f, r]
					a[++c] = x
					if (x < lo) lo = x
					if (x > hi) hi = x
				}
			m = median(a, c)
			amin = amax = "nan"
			ad = s == "none" ? "nan" : added(s, f)
			rf = (s == "none" || s == "floor") ? "-" : ratio(ad, af)
			rb = (s == "none" || s == "bpftrace") ? "-" : ratio(ad, ab)
			clk = s == "strace" ? "wall" : "cpu"
			printf "%-18s %-9s %5s %10.1f %10.1f %10.1f %9s %8s %8s %7s %7s\n", f, s, clk, m, lo, hi,
				num(ad, "-"), num(amin, "-"), num(amax, "-"), rf, rb
			printf "%s\t%s\t%s\t%s\t%.1f\t%.1f\t%.1f\t%s\t%s\t%s\t%d\t%s\t%s\n", f, s, clk, per[f], m, lo, hi,
				num(ad, ""), rf == "-" ? "" : rf, rb == "-" ? "" : rb, c, num(amin, ""), num(amax, "") > tsv
		}
	}
}
