#include "stop_strings.h"

#include <algorithm>

stop_strings::stop_strings(std::vector<std::string> stops_in) : stops(std::move(stops_in)) {
    stops.erase(std::remove_if(stops.begin(), stops.end(), [](const std::string & s) { return s.empty(); }), stops.end());
    for (const auto & s : stops) max_len = std::max(max_len, s.size());
}

bool stop_strings::append(std::string & text, const std::string & piece) const {
    const size_t old_len = text.size();
    text += piece;
    if (stops.empty() || piece.empty()) return false;
    // A match ending in the new piece starts at most max_len - 1 bytes before it.
    const size_t from = old_len >= max_len - 1 ? old_len - (max_len - 1) : 0;
    size_t best = std::string::npos;
    for (const auto & s : stops) {
        const size_t at = text.find(s, from);
        if (at != std::string::npos && at < best) best = at;
    }
    if (best == std::string::npos) return false;
    text.resize(best);
    return true;
}
