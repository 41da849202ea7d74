"""Walking a node graph without recursion (graphs can be thousands of nodes deep)."""


def toposort(roots):
    """Nodes reachable from roots, each after its srcs (iterative: deep graphs are fine)."""
    order, seen = [], set()
    for root in roots:
        if id(root) in seen:
            continue
        stack = [(root, False)]
        while stack:
            n, done = stack.pop()
            if done:
                order.append(n)
                continue
            if id(n) in seen:
                continue
            seen.add(id(n))
            stack.append((n, True))
            if n.op == "extern" and n.arg.result is not None:
                continue
            for s in reversed(n.srcs):
                if id(s) not in seen:
                    stack.append((s, False))
    return order
