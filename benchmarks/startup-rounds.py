#!/usr/bin/env python3
"""Startup in rounds: ApplicationStartupBenchmarks, one fresh JVM per measurement, several variants
of the auto-configuration jar, the order rotated every round so that a machine that drifts does not
favour one; prints each measurement, then each variant's median and the paired differences against
the first variant (the same round's measurements, which drift together).

Run from the repository's root after building the benchmarks:

    python3 benchmarks/startup-rounds.py 20 off=before.jar:off before=before.jar:on after=after.jar:on

Each variant is name=jar:mode[:fork JVM arguments], mode being the benchmark's langfuse parameter
(on or off); the jar replaces the auto-configuration jar in benchmarks/target/lib for its runs and
the original is put back at the end.
"""
import shutil
import statistics
import subprocess
import sys

LIB = 'benchmarks/target/lib/langfuse-spring-boot-autoconfigure-0.1.0-SNAPSHOT.jar'
SAVED = 'benchmarks/target/startup-rounds-saved.jar'


def main():
    rounds = int(sys.argv[1])
    variants = []
    for argument in sys.argv[2:]:
        name, rest = argument.split('=', 1)
        parts = rest.split(':', 2)
        variants.append((name, parts[0], parts[1], parts[2] if len(parts) > 2 else ''))
    shutil.copy(LIB, SAVED)
    results = [{} for _ in range(rounds)]
    try:
        for i in range(rounds):
            shift = i % len(variants)
            order = variants[shift:] + variants[:shift]
            if (i // len(variants)) % 2:
                order.reverse()
            for name, jar, mode, jvm_arguments in order:
                shutil.copy(jar, LIB)
                command = ['java', '-jar', 'benchmarks/target/benchmarks.jar', 'ApplicationStartupBenchmarks',
                           '-f', '1', '-p', 'langfuse=' + mode]
                if jvm_arguments:
                    command += ['-jvmArgsAppend', jvm_arguments]
                output = subprocess.run(command, capture_output=True, text=True).stdout
                score = [line for line in output.splitlines() if 'startContext ' in line][-1].split()[-2]
                results[i][name] = float(score)
                print(i + 1, name, score, flush=True)
    finally:
        shutil.copy(SAVED, LIB)
    for name, *_ in variants:
        values = [r[name] for r in results]
        print(f'# {name}: median {statistics.median(values):.1f} mean {statistics.mean(values):.1f}'
              f' sd {statistics.stdev(values):.1f} n {len(values)}')
    first = variants[0][0]
    for name, *_ in variants[1:]:
        differences = [r[name] - r[first] for r in results]
        print(f'# {name} - {first}, paired: median {statistics.median(differences):.0f}'
              f' mean {statistics.mean(differences):.0f} sd {statistics.stdev(differences):.0f}')


if __name__ == '__main__':
    main()
