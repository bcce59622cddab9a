// The CPUs this process can really use: its affinity set, capped by its cgroup's CPU quota, and
// how many distinct physical cores those are (hyperthreads share one core's arithmetic units).
// ggml's compute threads spin at every barrier, so a thread count above what is really there
// does not just waste time: threads wait for descheduled siblings and decoding nearly stops.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

struct cpu_budget {
    int32_t logical = 1;   // CPUs the process may run on at once
    int32_t physical = 1;  // physical cores among them
    std::string source;    // how they were found, for messages: "affinity 0-1, cgroup quota 1.5 CPUs"
    std::vector<int> cpus;  // the affinity set (Linux)
};

// A first guess at the cores free now: how much of the affinity set's time was idle over the
// next 100 ms (Linux /proc/stat; the calling thread sleeps meanwhile), capped by the budget's
// physical cores and at least 1; the physical cores where that cannot be read.
int32_t cores_free_now(const cpu_budget & budget);

// Read once per call from the OS (Linux: sched_getaffinity, sysfs topology, cgroup v2 cpu.max or
// v1 cfs quota; elsewhere std::thread::hardware_concurrency()).
cpu_budget read_cpu_budget();
