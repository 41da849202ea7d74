"""Environment variables parse as the ecosystem's do, and a bad value is a clear error
naming the variable (issue 16 item 12, issue 17 item 7)."""
import os
import subprocess
import sys

import pytest

from lazytensor.codegen import settings


def test_switches_and_levels_take_the_usual_words_in_any_case():
    for word, value in (("1", 1), ("TRUE", 1), ("yes", 1), ("On", 1), ("0", 0), ("False", 0),
                        ("no", 0), ("OFF", 0), ("", 0), ("2", 2)):
        assert settings.level("LAZYTENSOR_DEBUG", {"LAZYTENSOR_DEBUG": word}) == value
    assert settings.level("LAZYTENSOR_DEBUG", {}) == 0
    assert settings.level("X", {b"X": b"yes"}, b"X") == 1       # os.environ's bytes mapping
    assert settings.switch("LAZYTENSOR_NATIVE", True, {"LAZYTENSOR_NATIVE": "no"}) is False
    assert settings.switch("LAZYTENSOR_NATIVE", True, {}) is True
    with pytest.raises(ValueError, match="LAZYTENSOR_DEBUG must be 0, 1, 2, ..., true/false, "
                                         "yes/no or on/off, not 'maybe'"):
        settings.level("LAZYTENSOR_DEBUG", {"LAZYTENSOR_DEBUG": "maybe"})
    with pytest.raises(ValueError, match="LAZYTENSOR_NATIVE must be"):
        settings.switch("LAZYTENSOR_NATIVE", True, {"LAZYTENSOR_NATIVE": "2"})


def test_thread_counts_outside_what_kernels_hold_are_refused():
    assert settings.num_threads({"LAZYTENSOR_NUM_THREADS": " 3 "}) == 3
    assert settings.num_threads({}) is None
    for bad in ("0", "100000", "-2", "two", "1.5"):
        with pytest.raises(ValueError, match="LAZYTENSOR_NUM_THREADS must be a whole number "
                                             "from 1 to 256"):
            settings.num_threads({"LAZYTENSOR_NUM_THREADS": bad})


def _run(code, **env):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, **env), timeout=120)


def test_a_debug_word_works_and_a_huge_thread_count_is_an_error_not_a_crash():
    out = _run("import lazytensor as lt; print(lt.arange(4.).sum().item())",
               LAZYTENSOR_DEBUG="yes")
    assert out.returncode == 0 and out.stdout.strip() == "6.0", out.stderr
    out = _run("import lazytensor as lt; print(lt.arange(4.).sum().item())",
               LAZYTENSOR_NUM_THREADS="100000")
    assert out.returncode == 1 and "LAZYTENSOR_NUM_THREADS must be a whole number" in out.stderr


def test_a_compiler_command_with_arguments(tmp_path):
    code = ("import lazytensor as lt; from lazytensor.codegen import compile; "
            "print(compile.compiler(), lt.arange(5.).mul(3).sum().item())")
    out = _run(code, CC="env gcc", LAZYTENSOR_CACHE_DIR=str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["('env',", "'gcc')", "30.0"]
