# tools/deploy/: the alerting rules (promtool check rules, and their unit
# test with promtool test rules), make install (files, modes, the unit's
# ExecStart, the man page when there is one), the systemd unit
# (systemd-analyze verify; leakscope run with the unit's own command line
# under the unit's capability bounding set and nothing more), and the
# DaemonSet (valid YAML, its structure, its capabilities equal to the unit's,
# its arguments accepted by leakscope).
set -u
. tests/integration/lib.sh
scratch
PIDS=
cleanup_at_exit kill_pids
have promtool python3 systemd-analyze setpriv curl jq || { finish; exit 1; }
D=tools/deploy

# ran NAME STATUS FILE: STATUS is 0, else FILE says why
ran() {
	if [ "$2" = 0 ]; then ok "$1"; else not_ok "$1" "exit $2: $(head -c 400 "$3")"; fi
}

# --- the rules -------------------------------------------------------------
promtool check rules "$D/leakscope.rules.yml" >"$SCRATCH/o" 2>&1
ran "deploy: promtool check rules" "$?" "$SCRATCH/o"
expect_grep "deploy: three rules" "$SCRATCH/o" "SUCCESS: 3 rules found"
(cd "$D" && promtool test rules leakscope.rules.test.yml) >"$SCRATCH/o" 2>&1
ran "deploy: promtool test rules (each alert fires and stays quiet)" "$?" "$SCRATCH/o"
for a in LeakscopeFdExhaustionWithinHour LeakscopeCloseWaitPileUp LeakscopeEventsLost; do
	n=$(grep -c "alertname: $a\$" "$D/leakscope.rules.test.yml")
	expect_eq "deploy: the rule test evaluates $a at least twice (fires, quiet)" \
		"$([ "$n" -ge 2 ] && echo yes)" yes
done

# --- make install ----------------------------------------------------------
R=$SCRATCH/root
make -s install DESTDIR="$R" >"$SCRATCH/o" 2>&1
ran "deploy: make install DESTDIR=..." "$?" "$SCRATCH/o"
S=$R/usr/local/share/leakscope
expect_eq "deploy: the binary, 0755" "$(stat -c %a "$R/usr/local/sbin/leakscope" 2>&1)" 755
expect_eq "deploy: the deploy files, 0644" \
	"$(cd "$S" && stat -c '%n %a' leakscope-daemonset.yaml leakscope.rules.test.yml leakscope.rules.yml leakscope.service | tr '\n' ' ')" \
	"leakscope-daemonset.yaml 644 leakscope.rules.test.yml 644 leakscope.rules.yml 644 leakscope.service 644 "
(cd "$S" && promtool test rules leakscope.rules.test.yml) >"$SCRATCH/o" 2>&1
ran "deploy: the installed rules pass their installed test" "$?" "$SCRATCH/o"
if [ -e tools/man/leakscope.8 ]; then
	expect_eq "deploy: the man page in the tree is installed" \
		"$(cmp tools/man/leakscope.8 "$R/usr/local/share/man/man8/leakscope.8" && echo same)" same
else
	expect_eq "deploy: no man page in the tree, none installed" \
		"$([ -e "$R/usr/local/share/man/man8/leakscope.8" ] && echo installed)" ""
fi
printf '.TH LEAKSCOPE 8\n' >"$SCRATCH/page.8"
make -s install DESTDIR="$SCRATCH/root2" PREFIX=/usr MAN_PAGE="$SCRATCH/page.8" >"$SCRATCH/o" 2>&1
expect_eq "deploy: PREFIX=/usr: a man page given is installed, 0644" \
	"$(stat -c %a "$SCRATCH/root2/usr/share/man/man8/leakscope.8" 2>&1)" 644
expect_grep "deploy: PREFIX=/usr: the unit runs /usr/sbin/leakscope" \
	"$SCRATCH/root2/usr/share/leakscope/leakscope.service" "ExecStart=/usr/sbin/leakscope "
make -s uninstall DESTDIR="$SCRATCH/root2" PREFIX=/usr >"$SCRATCH/o" 2>&1
expect_eq "deploy: make uninstall leaves no file" "$(find "$SCRATCH/root2" -type f | wc -l)" 0

# --- the systemd unit ------------------------------------------------------
U=$SCRATCH/unit/leakscope.service
mkdir "$SCRATCH/unit"
expect_grep "deploy: the unit runs the installed binary" "$S/leakscope.service" \
	"ExecStart=/usr/local/sbin/leakscope "
# verify wants ExecStart's binary to exist: the one installed under DESTDIR.
# --man=no: the man page is checked above, not in this machine's man path
sed "s|^ExecStart=/usr/local/sbin/leakscope|ExecStart=$R/usr/local/sbin/leakscope|" \
	"$S/leakscope.service" >"$U"
systemd-analyze --man=no verify "$U" >"$SCRATCH/o" 2>&1
ran "deploy: systemd-analyze verify" "$?" "$SCRATCH/o"
expect_eq "deploy: systemd-analyze verify has nothing to say (a bad value is only a warning)" \
	"$(head -c 300 "$SCRATCH/o")" ""

# ExecStart's options, with the state directory and the port of this test;
# $1: extra options
unit_args() {
	sed -n 's|^ExecStart=[^ ]* ||p' "$D/leakscope.service" |
		sed -e "s|/var/lib/leakscope|$SCRATCH/state|g" -e "s|127.0.0.1:9464|127.0.0.1:$PORT|"
}
# the capability bounding set as setpriv wants it: -all,+bpf,+perfmon,...
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$D/leakscope.service" |
	tr ' ' '\n' | sed 's/^CAP_//' | tr 'A-Z' 'a-z' | sed 's/^/+/' | paste -sd, -)
expect_eq "deploy: the unit keeps five capabilities" "$caps" \
	"+bpf,+perfmon,+sys_resource,+sys_ptrace,+dac_read_search"
mkdir -m 700 "$SCRATCH/state"
PORT=$(free_port)
# shellcheck disable=SC2046: the unit's options, split as systemd splits them
bg_exec setpriv --bounding-set "-all,$caps" -- "$LS" $(unit_args) -d 3 >"$SCRATCH/out" 2>"$SCRATCH/err"
LSPID=$!
PIDS="$PIDS $LSPID"
i=0
until [ "$(curl -s -o "$SCRATCH/scrape" -w '%{http_code}' "http://127.0.0.1:$PORT/metrics")" = 200 ] ||
	[ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect_grep "deploy: with only those capabilities, /metrics lists processes' fds" "$SCRATCH/scrape" \
	"# TYPE leakscope_process_open_fds gauge"
expect_eq "deploy: ... and some open fds of the machine's processes" \
	"$([ "$(grep -c '^leakscope_process_open_fds{' "$SCRATCH/scrape")" -gt 0 ] && echo yes)" yes
reap "$LSPID" 30
ran "deploy: with only those capabilities, the unit's command line runs and exits 0" "$?" \
	"$SCRATCH/err"
J=$SCRATCH/state/report.json
expect_jq "deploy: ... system-wide, complete" "$J" '"\(.observer.mode) \(.observer.complete)"' "system true"
expect_jq "deploy: ... it read other processes' fds from /proc" "$J" \
	'[.processes[] | select(.open_fds and (.open_fds | length) > 0)] | length > 0' true
expect_eq "deploy: ... the textfile in the state directory, 0600" \
	"$(stat -c %a "$SCRATCH/state/leakscope.prom" 2>&1)" 600

# --- the DaemonSet ---------------------------------------------------------
python3 - "$D/leakscope-daemonset.yaml" "$D/leakscope.service" >"$SCRATCH/ds" 2>&1 <<'EOF'
import sys, yaml

docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
unit_caps = next(l.split("=", 1)[1].split() for l in open(sys.argv[2])
                 if l.startswith("CapabilityBoundingSet="))
checks = []
def check(name, cond):
    checks.append(name)
    print(("ok " if cond else "bad ") + name)

check("one document", len(docs) == 1)
ds = docs[0]
check("apps/v1 DaemonSet", ds["apiVersion"] == "apps/v1" and ds["kind"] == "DaemonSet")
spec = ds["spec"]["template"]["spec"]
meta = ds["spec"]["template"]["metadata"]
check("selector matches the pod labels",
      all(meta["labels"].get(k) == v for k, v in ds["spec"]["selector"]["matchLabels"].items()))
check("hostPID", spec.get("hostPID") is True)
c = spec["containers"][0]
sc = c["securityContext"]
check("capabilities: drop ALL, add the unit's set",
      sc["capabilities"]["drop"] == ["ALL"] and
      sorted("CAP_" + x for x in sc["capabilities"]["add"]) == sorted(unit_caps))
check("not privileged, no privilege escalation",
      sc["privileged"] is False and sc["allowPrivilegeEscalation"] is False)
mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
vols = {v["name"]: v for v in spec["volumes"]}
for path in ("/sys/kernel/btf", "/sys/kernel/tracing", "/sys/fs/cgroup"):
    m = mounts.get(path)
    check("host %s mounted read-only at %s" % (path, path),
          m is not None and m.get("readOnly") is True and
          vols[m["name"]]["hostPath"]["path"] == path)
args = c["args"]
listen = args[args.index("--metrics-listen") + 1]
port = int(listen.rsplit(":", 1)[1])
ports = {p["name"]: p["containerPort"] for p in c["ports"]}
check("the metrics port is the one leakscope listens on",
      ports.get("metrics") == port and
      meta["annotations"]["prometheus.io/port"] == str(port))
check("the readiness probe asks /metrics on that port",
      c["readinessProbe"]["httpGet"] == {"path": "/metrics", "port": "metrics"})
check("the state directory is mounted where the files go",
      "/var/lib/leakscope" in mounts and
      args[args.index("--json") + 1].startswith("/var/lib/leakscope/"))
print("args " + " ".join(args))
EOF
expect_eq "deploy: the DaemonSet is valid YAML that python3 reads" "$?" 0
while read -r verdict name; do
	case $verdict in
	ok) ok "deploy: DaemonSet: $name" ;;
	bad) not_ok "deploy: DaemonSet: $name" "see $D/leakscope-daemonset.yaml" ;;
	args) ;;
	*) not_ok "deploy: DaemonSet" "$verdict $name" ;;
	esac
done <"$SCRATCH/ds"
expect_eq "deploy: DaemonSet: twelve checks made" "$(grep -cE '^(ok|bad) ' "$SCRATCH/ds")" 12
# its arguments, as leakscope takes them (the port and paths of this test)
PORT=$(free_port)
mkdir -m 700 "$SCRATCH/ds-state"
# shellcheck disable=SC2046: the container's arguments, one word each
ls_run $(sed -n 's/^args //p' "$SCRATCH/ds" | sed -e "s|/var/lib/leakscope|$SCRATCH/ds-state|g" \
	-e "s|0.0.0.0:9464|127.0.0.1:$PORT|") -d 1 >"$SCRATCH/out" 2>"$SCRATCH/err"
ran "deploy: DaemonSet: leakscope takes the container's arguments" "$?" "$SCRATCH/err"
expect_jq "deploy: DaemonSet: ... and writes its report" "$SCRATCH/ds-state/report.json" \
	'.observer.mode' system
finish
