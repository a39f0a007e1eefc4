"""./dev serve keeps the task worker running: `supervise` restarts a command that exits, ends
what the command left behind, stops when killed (without a last restart), and stops its command
when ./dev itself is killed -9."""

import signal
import subprocess
import time
from pathlib import Path

DEV = Path(__file__).resolve().parents[3] / "dev"


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def alive(pid: int) -> bool:
    """Running (a zombie nobody reaps, as under some container inits, counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_a_worker_that_exits_is_restarted_with_a_log_line_and_killing_the_loop_ends_it(tmp_path):
    runs, children = tmp_path / "runs", tmp_path / "children"
    script = f"""
source "{DEV}"
supervise "fake worker" bash -c 'echo run >> "{runs}"; sleep 60 & echo $! >> "{children}"; exit 3' &
loop=$!
for _ in $(seq 100); do [[ $(wc -l < "{runs}" 2>/dev/null || echo 0) -ge 2 ]] && break; sleep 0.05; done
kill_tree "$loop"
wc -l < "{runs}"
sleep 2.5
wc -l < "{runs}"
"""
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30)
    before, after = result.stdout.split()
    assert int(before) == int(after) == 2  # restarted once, and not again after the loop was killed
    assert "fake worker exited (status 3); restarting in 1 s" in result.stderr
    left_behind = [int(pid) for pid in children.read_text().split()]
    assert len(left_behind) == 2 and not any(alive(pid) for pid in left_behind)


def test_killing_dev_itself_stops_the_worker(tmp_path):
    pid_file = tmp_path / "worker.pid"
    script = f"""source "{DEV}"; supervise w bash -c 'echo $$ > "{pid_file}"; exec sleep 60' & wait"""
    outer = subprocess.Popen(["bash", "-c", script])
    try:
        assert wait_for(lambda: pid_file.exists() and pid_file.read_text().strip(), 10)
        worker = int(pid_file.read_text())
        assert alive(worker)
        outer.send_signal(signal.SIGKILL)
        outer.wait(timeout=5)
        assert wait_for(lambda: not alive(worker), 5)
    finally:
        if outer.poll() is None:
            outer.kill()
