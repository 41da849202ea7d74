"""python -m lazytensor cache info|clear|path: the disk cache of compiled programs."""
import argparse
import sys

from .codegen import cache, cache_size
from .codegen import compile as cc


def _compiler():
    try:
        return cc.compiler_identity()
    except cc.CompileError as e:
        return f"none usable ({e})"


def _mib(n):
    return f"{n} bytes ({n / (1 << 20):.1f} MiB)"


def cache_command(action, out=sys.stdout):
    root = cache.cache_dir()
    if action == "path":
        print(root, file=out)
    elif action == "info":
        entries, size = cache_size.usage(root)
        print(f"location: {root}", file=out)
        print(f"entries:  {entries} programs", file=out)
        print(f"size:     {_mib(size)}", file=out)
        print(f"cap:      {_mib(cache_size.max_bytes())} ({cache_size.VARIABLE})", file=out)
        print(f"compiler: {_compiler()}", file=out)
    else:
        removed, freed = cache_size.clear(root)
        print(f"removed {removed} programs, {_mib(freed)}, from {root}", file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lazytensor")
    commands = parser.add_subparsers(dest="command", required=True)
    on_cache = commands.add_parser("cache", help="the disk cache of compiled programs")
    on_cache.add_argument("action", choices=("info", "clear", "path"),
                          help="info: entries, size, cap, compiler, location; clear: remove "
                               "the programs; path: print the directory")
    args = parser.parse_args(argv)
    cache_command(args.action)


if __name__ == "__main__":
    main()
