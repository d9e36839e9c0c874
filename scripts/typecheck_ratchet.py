"""Compare mypy's errors per module with the committed baseline (.mypy-baseline.json); see scripts/typecheck."""

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

BASELINE = Path(".mypy-baseline.json")
ERROR = re.compile(r"^(?P<path>src/[^:]+\.py):\d+(?::\d+)?: error: ")
#: Modules that must have no error at all, whatever the baseline says: the shared core and every app's use-cases
#: (services, selectors and the queryset vocabulary they read through), with their submodules when a package.
STRICT = re.compile(r"^sentra\.(?:core|[a-z_]+\.(?:services|selectors|querysets))(?:\..+)?$")


def is_strict(module: str) -> bool:
    return bool(STRICT.match(module))


def module_of(path: str) -> str:
    name = path.removeprefix("src/").removesuffix(".py").replace("/", ".")
    return name.removesuffix(".__init__")


def parse(output: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = defaultdict(list)
    for line in output.splitlines():
        match = ERROR.match(line)
        if match:
            errors[module_of(match["path"])].append(line)
    return dict(errors)


def main(argv: list[str]) -> int:
    output_file, *options = argv
    update = "--update" in options
    errors = parse(Path(output_file).read_text())
    counts = {module: len(lines) for module, lines in sorted(errors.items())}
    baseline: dict[str, int] = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}

    if update and not BASELINE.exists():
        BASELINE.write_text(json.dumps(counts, indent=2, sort_keys=True) + "\n")
        print(f"typecheck: .mypy-baseline.json created ({sum(counts.values())} errors in {len(counts)} modules).")
        return 0

    strict = {m: n for m, n in counts.items() if is_strict(m)}
    worse = {m: n for m, n in counts.items() if n > baseline.get(m, 0) and m not in strict}
    better = {m: (baseline[m], counts.get(m, 0)) for m in baseline if counts.get(m, 0) < baseline[m]}
    total, base_total = sum(counts.values()), sum(baseline.values())

    if strict:
        print(f"typecheck: FAILED, {len(strict)} module(s) must have no mypy error, whatever the baseline says")
        print("(sentra.core.* and every app's services, selectors and querysets):")
        for module, n in strict.items():
            print(f"\n  {module}: {n}")
            for line in errors[module]:
                print(f"    {line}")
    if worse:
        print(f"typecheck: FAILED, {len(worse)} module(s) have more mypy errors than .mypy-baseline.json allows:")
        for module, n in worse.items():
            print(f"\n  {module}: {baseline.get(module, 0)} -> {n}")
            for line in errors[module]:
                print(f"    {line}")
        print("\nFix the new errors (the lines above are all of the module's errors; the new ones are among them).")
    if strict or worse:
        if update:
            print("--update refused: the baseline may only go down, and the modules above must be clean.")
        return 1

    if better:
        print(f"typecheck: {len(better)} module(s) improved:")
        for module, (was, now) in sorted(better.items()):
            print(f"  {module}: {was} -> {now}")
    clean = sum(1 for m in baseline if counts.get(m, 0) == 0)
    print(f"typecheck: OK, {total} mypy errors in {len(counts)} modules (baseline {base_total})")

    if update:
        BASELINE.write_text(json.dumps(counts, indent=2, sort_keys=True) + "\n")
        print(f"typecheck: .mypy-baseline.json rewritten ({total} errors; {clean} baseline module(s) now clean).")
    elif better:
        print("Run `bash scripts/typecheck --update` and commit .mypy-baseline.json to lock the improvement in.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
