/**
 * The benchmarks {@code vigil bench} runs ({@code verify}, {@code fleet}, {@code events},
 * {@code rollbacks}, {@code evidence}, {@code group}): each prints its measured figures; none is a test. The figures and the command
 * lines that produced them are in {@code docs/benchmarks.md}.
 *
 * <p>May depend on every runtime package; only {@code cli} depends on it.
 */
package dev.vigil.bench;
