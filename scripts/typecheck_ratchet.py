"""Compare mypy's errors per module with the committed baseline (.mypy-baseline.json); see scripts/typecheck."""

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

BASELINE = Path(".mypy-baseline.json")
ERROR = re.compile(r"^(?P<path>src/[^:]+\.py):\d+(?::\d+)?: error: ")


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

    worse = {m: n for m, n in counts.items() if n > baseline.get(m, 0)}
    better = {m: (baseline[m], counts.get(m, 0)) for m in baseline if counts.get(m, 0) < baseline[m]}
    total, base_total = sum(counts.values()), sum(baseline.values())

    if worse:
        print(f"typecheck: FAILED, {len(worse)} module(s) have more mypy errors than .mypy-baseline.json allows:")
        for module, n in worse.items():
            print(f"\n  {module}: {baseline.get(module, 0)} -> {n}")
            for line in errors[module]:
                print(f"    {line}")
        print("\nFix the new errors (the lines above are all of the module's errors; the new ones are among them).")
        if update:
            print("--update refused: the baseline may only go down.")
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
