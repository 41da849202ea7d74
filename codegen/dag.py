"""A small directed acyclic graph for scheduling: kernel dependencies, run order and
reachability. (Graphs here have a few to a few hundred nodes; networkx, which explain()
still uses to hand the user a graph, took a tenth of a second to import.)"""
import heapq


class Dag:
    def __init__(self):
        self.succ = {}
        self.pred = {}

    def add_node(self, n):
        self.succ.setdefault(n, set())
        self.pred.setdefault(n, set())

    def add_edge(self, a, b):
        self.add_node(a)
        self.add_node(b)
        self.succ[a].add(b)
        self.pred[b].add(a)

    def order(self, key=None):
        """A topological order that, whenever several nodes are ready, takes the one with the
        smallest key (networkx's lexicographical_topological_sort)."""
        key = key or (lambda n: n)
        waiting = {n: len(p) for n, p in self.pred.items()}
        ready = [(key(n), n) for n, c in waiting.items() if c == 0]
        heapq.heapify(ready)
        out = []
        while ready:
            _, n = heapq.heappop(ready)
            out.append(n)
            for m in self.succ[n]:
                waiting[m] -= 1
                if waiting[m] == 0:
                    heapq.heappush(ready, (key(m), m))
        if len(out) != len(waiting):
            raise ValueError("the graph has a cycle")
        return out

    def descendants(self, n):
        return self._reach(n, self.succ)

    def ancestors(self, n):
        return self._reach(n, self.pred)

    @staticmethod
    def _reach(n, edges):
        seen, stack = set(), [n]
        while stack:
            for m in edges[stack.pop()]:
                if m not in seen:
                    seen.add(m)
                    stack.append(m)
        return seen
