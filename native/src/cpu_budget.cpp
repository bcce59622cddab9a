#include "cpu_budget.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#ifdef __linux__
#include <sched.h>
#endif

#ifdef __linux__
static std::string read_line(const std::string & path) {
    std::ifstream f(path);
    std::string line;
    std::getline(f, line);
    return line;
}

// "0-3,8" for a sorted list of CPU ids.
static std::string cpu_ranges(const std::vector<int> & cpus) {
    std::string out;
    for (size_t i = 0; i < cpus.size();) {
        size_t j = i;
        while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
        out += (out.empty() ? "" : ",") + std::to_string(cpus[i]) + (j > i ? "-" + std::to_string(cpus[j]) : "");
        i = j + 1;
    }
    return out;
}

// The smallest CPU quota (in CPUs) on the path from this process's cgroup to the root; 0: none.
static double cgroup_quota() {
    std::ifstream f("/proc/self/cgroup");
    std::string line;
    double quota = 0;
    auto take = [&](double q) {
        if (q > 0 && (quota == 0 || q < quota)) quota = q;
    };
    while (std::getline(f, line)) {
        // "0::/path" (v2) or "N:cpu,cpuacct:/path" (v1).
        const size_t a = line.find(':'), b = line.find(':', a + 1);
        if (a == std::string::npos || b == std::string::npos) continue;
        const std::string controllers = line.substr(a + 1, b - a - 1);
        std::string path = line.substr(b + 1);
        const bool v2 = controllers.empty();
        std::stringstream names(controllers);
        std::string name;
        bool cpu = false;
        while (std::getline(names, name, ',')) cpu = cpu || name == "cpu";
        if (!v2 && !cpu) continue;
        const std::string root = v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/" + controllers;
        while (true) {
            const std::string dir = root + (path == "/" ? "" : path);
            if (v2) {
                std::istringstream max(read_line(dir + "/cpu.max"));
                std::string q;
                double period = 0;
                if (max >> q >> period && q != "max" && period > 0) take(std::stod(q) / period);
            } else {
                const std::string q = read_line(dir + "/cpu.cfs_quota_us"), p = read_line(dir + "/cpu.cfs_period_us");
                if (!q.empty() && !p.empty() && std::stod(q) > 0 && std::stod(p) > 0) take(std::stod(q) / std::stod(p));
            }
            if (path.empty() || path == "/") break;
            path = path.substr(0, path.find_last_of('/'));
            if (path.empty()) path = "/";
        }
    }
    return quota;
}

cpu_budget read_cpu_budget() {
    cpu_set_t set;
    CPU_ZERO(&set);
    std::vector<int> cpus;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        for (int c = 0; c < CPU_SETSIZE; ++c) {
            if (CPU_ISSET(c, &set)) cpus.push_back(c);
        }
    }
    if (cpus.empty()) {
        for (unsigned c = 0; c < std::max(1u, std::thread::hardware_concurrency()); ++c) cpus.push_back(int(c));
    }
    std::set<std::pair<std::string, std::string>> cores;  // (package, core) of each CPU
    for (int c : cpus) {
        const std::string topo = "/sys/devices/system/cpu/cpu" + std::to_string(c) + "/topology/";
        const std::string core = read_line(topo + "core_id");
        cores.emplace(read_line(topo + "physical_package_id"), core.empty() ? "cpu" + std::to_string(c) : core);
    }
    cpu_budget b;
    b.logical = int32_t(cpus.size());
    b.physical = std::max(1, int32_t(cores.size()));
    b.source = "affinity " + cpu_ranges(cpus);
    b.cpus = cpus;
    const double quota = cgroup_quota();
    if (quota > 0) {
        const auto cap = std::max(1, int32_t(std::ceil(quota)));
        b.logical = std::min(b.logical, cap);
        b.physical = std::min(b.physical, cap);
        std::ostringstream q;
        q << quota;
        b.source += ", cgroup quota " + q.str() + " CPUs";
    } else {
        b.source += ", no cgroup CPU quota";
    }
    return b;
}
// Idle and total jiffies of each CPU in /proc/stat.
static std::vector<std::pair<double, double>> cpu_times(const std::vector<int> & cpus) {
    std::vector<std::pair<double, double>> out(cpus.size(), {0, 0});
    std::ifstream f("/proc/stat");
    std::string line;
    while (std::getline(f, line)) {
        if (line.rfind("cpu", 0) != 0 || line.size() < 4 || line[3] == ' ') continue;
        std::istringstream in(line.substr(3));
        int id = -1;
        in >> id;
        const auto at = std::find(cpus.begin(), cpus.end(), id);
        if (at == cpus.end()) continue;
        double v = 0, total = 0, idle = 0;
        for (int field = 0; in >> v; ++field) {
            total += v;
            if (field == 3 || field == 4) idle += v;  // idle, iowait
        }
        out[size_t(at - cpus.begin())] = {idle, total};
    }
    return out;
}

int32_t cores_free_now(const cpu_budget & budget) {
    const auto before = cpu_times(budget.cpus);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto after = cpu_times(budget.cpus);
    double free = 0;
    bool read = false;
    for (size_t i = 0; i < before.size(); ++i) {
        const double total = after[i].second - before[i].second;
        if (total <= 0) continue;
        free += (after[i].first - before[i].first) / total;
        read = true;
    }
    if (!read) return budget.physical;
    return std::clamp(int32_t(std::lround(free)), 1, budget.physical);
}
#else
int32_t cores_free_now(const cpu_budget & budget) { return budget.physical; }

cpu_budget read_cpu_budget() {
    cpu_budget b;
    b.logical = b.physical = int32_t(std::max(1u, std::thread::hardware_concurrency()));
    b.source = "std::thread::hardware_concurrency()";
    return b;
}
#endif
