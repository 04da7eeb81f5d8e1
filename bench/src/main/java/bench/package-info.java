/**
 * JMH benchmarks. Each benchmark states the goal it measures in its class comment; figures
 * are recorded in docs/performance.md.
 */
package bench;
