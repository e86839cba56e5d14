/** JMH benchmarks of the hot operator paths and the GridBench end-to-end harness. */
package dev.gridhouse.bench;
