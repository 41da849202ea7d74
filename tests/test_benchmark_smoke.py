"""examples/benchmark.py still runs (a smoke run; speed itself is never asserted here)."""
import os
import subprocess
import sys

HERE = os.path.dirname(__file__)


def quick_run(only):
    """The benchmark's table for a --quick run of the workloads `only`."""
    script = os.path.join(HERE, "..", "examples", "benchmark.py")
    out = subprocess.run([sys.executable, script, "--quick", "--only", only],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "FAILED" not in out.stdout
    return out.stdout


def test_benchmark_quick_run_checks_results():
    assert "W1" in quick_run("W1,W3")


def test_benchmark_quick_run_of_the_loops():
    assert "L4 1e5 updates in place" in quick_run("loops")
