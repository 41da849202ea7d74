"""The lazy pipeline in a few lines: build a graph, look at the kernel, realise it."""
import lazytensor as lt

a = lt.rand(1_000_000)
b = lt.rand(1_000_000)
c = (a * b + 1).sin() - a.abs()     # nothing computed yet: a graph of 5 ops
print(lt.explain(c))                  # the graph, the ONE fused kernel it becomes, its C source
print(c[:3])                          # realises: renders, compiles (or loads from cache), runs
print(lt.cache_info())
