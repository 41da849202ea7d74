"""codegen.dag (the scheduler's graph) against networkx on random DAGs."""
import random

import networkx as nx
import pytest

from lazytensor.codegen.dag import Dag


@pytest.mark.parametrize("seed", range(5))
def test_order_and_reachability_match_networkx(seed):
    r = random.Random(seed)
    ours, theirs = Dag(), nx.DiGraph()
    for n in range(30):
        ours.add_node(n)
        theirs.add_node(n)
    for _ in range(60):
        a, b = sorted(r.sample(range(30), 2))
        ours.add_edge(a, b)
        theirs.add_edge(a, b)
    key = {n: r.random() for n in range(30)}
    assert ours.order() == list(nx.lexicographical_topological_sort(theirs))
    assert ours.order(key=key.get) == list(nx.lexicographical_topological_sort(theirs,
                                                                                key=key.get))
    for n in range(30):
        assert ours.descendants(n) == nx.descendants(theirs, n)
        assert ours.ancestors(n) == nx.ancestors(theirs, n)


def test_a_cycle_is_refused():
    g = Dag()
    g.add_edge(0, 1)
    g.add_edge(1, 0)
    with pytest.raises(ValueError, match="cycle"):
        g.order()
