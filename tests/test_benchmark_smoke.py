"""examples/benchmark.py still runs (a smoke run; speed itself is never asserted here)."""
import os
import subprocess
import sys

HERE = os.path.dirname(__file__)


def test_benchmark_quick_run_checks_results():
    script = os.path.join(HERE, "..", "examples", "benchmark.py")
    out = subprocess.run([sys.executable, script, "--quick", "--only", "W1,W3"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "W1" in out.stdout and "FAILED" not in out.stdout


def test_benchmark_quick_run_of_the_loops():
    script = os.path.join(HERE, "..", "examples", "benchmark.py")
    out = subprocess.run([sys.executable, script, "--quick", "--only", "loops"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "L4 1e5 updates in place" in out.stdout and "FAILED" not in out.stdout
