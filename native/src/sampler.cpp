#include "sampler.h"

#include <algorithm>
#include <cmath>

static bool by_logit(const seq_sampler_candidate & a, const seq_sampler_candidate & b) {
    return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
}

static uint64_t splitmix64(uint64_t & x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

std::string sampling_params::validate() const {
    if (!std::isfinite(temperature) || temperature < 0.0f) return "temperature must be a finite number >= 0";
    if (!(top_p > 0.0f && top_p <= 1.0f)) return "top_p must be in (0, 1]";
    if (top_k < -1) return "top_k must be -1, 0 (off) or a positive integer";
    if (!(min_p >= 0.0f && min_p <= 1.0f)) return "min_p must be in [0, 1]";
    if (!(repetition_penalty > 0.0f) || !std::isfinite(repetition_penalty)) return "repetition_penalty must be a finite number > 0";
    if (!std::isfinite(presence_penalty) || !std::isfinite(frequency_penalty)) return "presence_penalty and frequency_penalty must be finite";
    return "";
}

sample_rng::sample_rng(uint64_t seed, uint64_t sample_index) {
    // Mix the sample index in through its own splitmix step so (seed, i) and (seed + 1, i - 1) differ.
    uint64_t x = seed;
    uint64_t y = sample_index ^ 0x5851f42d4c957f2dULL;
    const uint64_t mixed = splitmix64(x) ^ splitmix64(y);
    uint64_t z = mixed;
    for (auto & w : s) w = splitmix64(z);
}

double sample_rng::next_unit() {
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return double(result >> 11) * 0x1.0p-53;
}

seq_sampler::seq_sampler(const sampling_params & params, uint64_t sample_index, const std::vector<llama_token> * prompt_unique)
    : params(params), rng(params.seed, sample_index), prompt_unique(prompt_unique) {}

void seq_sampler::accept(llama_token token) {
    if (params.has_penalties()) output_counts[token]++;
}

void seq_sampler::apply_penalties(std::vector<float> & logits) const {
    const float rp = params.repetition_penalty;
    const int32_t n_vocab = int32_t(logits.size());
    auto repeat = [&](llama_token t) {
        float & l = logits[t];
        l = l > 0.0f ? l / rp : l * rp;
    };
    if (rp != 1.0f) {
        // Each token once, whether it occurs in the prompt, the output or both.
        if (prompt_unique) {
            for (llama_token t : *prompt_unique) if (t >= 0 && t < n_vocab) repeat(t);
        }
        for (const auto & [t, count] : output_counts) {
            const bool in_prompt = prompt_unique && std::binary_search(prompt_unique->begin(), prompt_unique->end(), t);
            if (!in_prompt && t >= 0 && t < n_vocab) repeat(t);
        }
    }
    for (const auto & [t, count] : output_counts) {
        if (t < 0 || t >= n_vocab) continue;
        logits[t] -= params.frequency_penalty * float(count) + params.presence_penalty;
    }
}

// The first index of the largest logit (NaNs never win). Greedy decoding runs this over the whole
// vocabulary for every sequence at every step, on the engine thread while the compute threads
// wait, so it is one pass of lane-wise maxima and their first indices, which the compiler
// vectorises, instead of a branchy scalar loop: several times faster on 152k logits.
static llama_token argmax(const float * logits, int32_t n_vocab) {
    constexpr int32_t lanes = 16;
    float lane_max[lanes];
    int32_t lane_at[lanes];
    for (int32_t j = 0; j < lanes; ++j) {
        lane_max[j] = -INFINITY;
        lane_at[j] = j;
    }
    int32_t i = 0;
    for (; i + lanes <= n_vocab; i += lanes) {
        for (int32_t j = 0; j < lanes; ++j) {
            const bool better = logits[i + j] > lane_max[j];
            lane_max[j] = better ? logits[i + j] : lane_max[j];
            lane_at[j] = better ? i + j : lane_at[j];
        }
    }
    float best = -INFINITY;
    int32_t best_at = n_vocab;
    for (int32_t j = 0; j < lanes; ++j) {
        if (lane_max[j] > best || (lane_max[j] == best && lane_at[j] < best_at)) {
            best = lane_max[j];
            best_at = lane_at[j];
        }
    }
    for (; i < n_vocab; ++i) {
        if (logits[i] > best) {
            best = logits[i];
            best_at = i;
        }
    }
    return best_at < n_vocab && best > -INFINITY ? best_at : 0;
}

llama_token seq_sampler::sample(const float * logits, int32_t n_vocab) {
    if (!params.has_penalties()) {
        return params.is_greedy() ? argmax(logits, n_vocab) : sample_from(logits, n_vocab);
    }
    scratch.assign(logits, logits + n_vocab);
    apply_penalties(scratch);
    return params.is_greedy() ? argmax(scratch.data(), n_vocab) : sample_from(scratch.data(), n_vocab);
}

// vLLM's order: temperature, then top-k, top-p and min-p on the tempered distribution.
llama_token seq_sampler::sample_from(const float * logits, int32_t n_vocab) {
    const float inv_t = 1.0f / params.temperature;
    const int32_t k = params.top_k > 0 ? std::min(params.top_k, n_vocab) : n_vocab;

    cands.resize(n_vocab);
    float max_logit = -INFINITY;
    for (int32_t i = 0; i < n_vocab; ++i) {
        cands[i] = {i, logits[i] * inv_t};
        max_logit = std::max(max_logit, cands[i].logit);
    }
    auto weight = [&](int32_t i) { return std::exp(double(cands[i].logit - max_logit)); };

    if (k == n_vocab && params.top_p >= 1.0f) return sample_unsorted(max_logit);

    // top-k renormalises over the k best (partial sort); top-p then keeps the smallest set of
    // most likely tokens holding top_p of that mass, found by selection rather than a full sort:
    // random or flat distributions would otherwise sort ~all of a 150k vocabulary per token.
    int32_t n = n_vocab;
    if (k < n_vocab) {
        std::partial_sort(cands.begin(), cands.begin() + k, cands.end(), by_logit);
        n = k;
    }
    double total = 0.0;
    for (int32_t i = 0; i < n; ++i) total += weight(i);
    int32_t keep = n;
    if (params.top_p < 1.0f) keep = nucleus(n, double(params.top_p) * total, max_logit);
    if (params.min_p > 0.0f) {
        const float min_logit = max_logit + std::log(params.min_p);
        keep = int32_t(std::partition(cands.begin(), cands.begin() + keep, [&](const candidate & c) { return c.logit >= min_logit; }) - cands.begin());
    }

    double kept = 0.0;
    for (int32_t i = 0; i < keep; ++i) kept += weight(i);
    double r = rng.next_unit() * kept;
    for (int32_t i = 0; i < keep; ++i) {
        r -= weight(i);
        if (r < 0.0) return cands[i].id;
    }
    return cands[keep - 1].id;
}

// No top-k and no top-p: min-p is a threshold on the logit, so no sorting is needed.
llama_token seq_sampler::sample_unsorted(float max_logit) {
    const float min_logit = params.min_p > 0.0f ? max_logit + std::log(params.min_p) : -INFINITY;
    const auto end = std::partition(cands.begin(), cands.end(), [&](const candidate & c) { return c.logit >= min_logit; });
    const int32_t keep = int32_t(end - cands.begin());
    double kept = 0.0;
    for (int32_t i = 0; i < keep; ++i) kept += std::exp(double(cands[i].logit - max_logit));
    double r = rng.next_unit() * kept;
    for (int32_t i = 0; i < keep; ++i) {
        r -= std::exp(double(cands[i].logit - max_logit));
        if (r < 0.0) return cands[i].id;
    }
    return cands[keep - 1].id;
}

// Moves the smallest set of highest-logit candidates among cands[0, n) whose weights sum to at
// least `target` to the front and returns its size: quickselect on mass, linear on average.
int32_t seq_sampler::nucleus(int32_t n, double target, float max_logit) {
    auto weight = [&](const candidate & c) { return std::exp(double(c.logit - max_logit)); };
    int32_t lo = 0, hi = n;  // the boundary lies in [lo, hi); cands[0, lo) are kept
    double need = target;
    while (hi - lo > 1) {
        // Deterministic pivot: median of three positions.
        const int32_t mid = lo + (hi - lo) / 2;
        candidate a = cands[lo], b = cands[mid], c = cands[hi - 1];
        if (by_logit(b, a)) std::swap(a, b);
        if (by_logit(c, b)) std::swap(b, c);
        if (by_logit(b, a)) std::swap(a, b);
        const candidate pivot = b;
        // Strictly better than the pivot first, then the pivot itself, then the rest.
        auto first_end = std::partition(cands.begin() + lo, cands.begin() + hi, [&](const candidate & x) { return by_logit(x, pivot); });
        double upper = 0.0;
        for (auto it = cands.begin() + lo; it != first_end; ++it) upper += weight(*it);
        const int32_t split = int32_t(first_end - cands.begin());
        if (upper >= need) {
            hi = split;
            continue;
        }
        // Take the upper part and the pivot; stop if that suffices.
        auto pivot_it = std::find_if(first_end, cands.begin() + hi, [&](const candidate & x) { return x.id == pivot.id; });
        std::iter_swap(first_end, pivot_it);
        need -= upper + weight(pivot);
        lo = split + 1;
        if (need <= 0.0) return lo;
    }
    return std::min(n, std::max(lo + (hi > lo ? 1 : 0), 1));
}
