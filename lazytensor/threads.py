"""The threads kernels run on: torch.set_num_threads / torch.get_num_threads."""
from .codegen import parallel, run


def get_num_threads():
    """The number of threads a parallel kernel uses."""
    return parallel.thread_count()


def set_num_threads(n):
    """Use n threads (at least 1) for the kernels from now on."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"set_num_threads(): argument 'int' (position 1) must be int, not "
                        f"{type(n).__name__}")
    if n <= 0:
        raise RuntimeError("set_num_threads expects a positive integer")
    run.set_thread_count(n)
