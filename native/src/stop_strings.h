// Stop strings over incrementally detokenised text. A stop string may span several tokens, so
// each new piece is searched together with the tail that a match could start in; the text is cut
// where the earliest stop string starts, never inside one.
#pragma once

#include <string>
#include <vector>

class stop_strings {
public:
    explicit stop_strings(std::vector<std::string> stops);

    // Appends a piece to `text`; returns true (and cuts `text` before the match) when a stop
    // string now occurs.
    bool append(std::string & text, const std::string & piece) const;
    bool empty() const { return stops.empty(); }

private:
    std::vector<std::string> stops;
    size_t max_len = 0;
};
