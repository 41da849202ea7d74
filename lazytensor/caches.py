"""Handing back what lazytensor keeps: compiled programs (memory and disk) and the host
memory pool."""
from .codegen import cache, cache_size, memory


def cache_clear():
    """Remove the compiled programs: this process's memory cache and the disk cache's program
    entries. Tensors, and programs running or still held, keep working; the next realisation
    of each graph compiles its program again."""
    cache.memory.clear()
    cache_size.clear(cache.cache_dir())


def empty_cache():
    """Return the host memory pool's free arrays to the system (lazytensor's CPU counterpart
    of torch.cuda.empty_cache; memory of live tensors is untouched)."""
    memory.empty_cache()
