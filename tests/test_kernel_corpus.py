"""Generated code for a fixed corpus of graphs is byte-identical to the recorded code
(tests/kernel_corpus.py): a refactoring changes the kernels' text only on purpose."""
import pytest

import kernel_corpus


@pytest.mark.parametrize("backend", kernel_corpus.BACKENDS)
@pytest.mark.parametrize("name", list(kernel_corpus.CORPUS))
def test_generated_source_is_unchanged(name, backend):
    if kernel_corpus.render(name, backend) != kernel_corpus.recorded(backend)[name]:
        pytest.fail(f"the {backend} source for corpus entry {name!r} changed (record it "
                    f"again with `python tests/kernel_corpus.py --record` if on purpose):\n"
                    + kernel_corpus.diff(name, backend)[:6000])


def test_every_entry_is_recorded_and_renders_kernels():
    for backend in kernel_corpus.BACKENDS:
        recorded = kernel_corpus.recorded(backend)
        assert list(recorded) == list(kernel_corpus.CORPUS)
        assert all(" k0_" in source for source in recorded.values())
