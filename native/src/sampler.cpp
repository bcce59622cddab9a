#include "sampler.h"

#include <algorithm>
#include <cmath>

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

static llama_token argmax(const float * logits, int32_t n_vocab) {
    int32_t best = 0;
    float best_logit = logits[0];
    for (int32_t i = 1; i < n_vocab; ++i) {
        if (logits[i] > best_logit) { best_logit = logits[i]; best = i; }
    }
    return best;
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
    auto by_logit = [](const candidate & a, const candidate & b) { return a.logit > b.logit || (a.logit == b.logit && a.id < b.id); };
    auto weight = [&](int32_t i) { return std::exp(double(cands[i].logit - max_logit)); };

    // top-k renormalises over the k best; top-p then keeps the shortest sorted prefix holding
    // top_p of that mass.
    if (k == n_vocab && params.top_p >= 1.0f) return sample_unsorted(max_logit);

    double total = 0.0;
    int32_t head = 0;
    if (k < n_vocab) {
        std::partial_sort(cands.begin(), cands.begin() + k, cands.end(), by_logit);
        for (int32_t i = 0; i < k; ++i) total += weight(i);
        head = k;
    } else {
        for (int32_t i = 0; i < n_vocab; ++i) total += weight(i);
        // Without top-k, sort a growing head until it holds the nucleus instead of the whole vocabulary.
        head = std::min<int32_t>(n_vocab, 256);
        std::partial_sort(cands.begin(), cands.begin() + head, cands.end(), by_logit);
    }
    const double target = double(params.top_p) * total;
    int32_t keep = 0;
    while (true) {
        double mass = 0.0;
        keep = 0;
        while (keep < head) {
            mass += weight(keep++);
            if (mass >= target) break;
        }
        if (mass >= target || head >= k) break;
        head = std::min(k, head * 4);
        std::partial_sort(cands.begin(), cands.begin() + head, cands.end(), by_logit);
    }

    if (params.min_p > 0.0f) {
        const float min_logit = max_logit + std::log(params.min_p);
        int32_t m = 1;
        while (m < keep && cands[m].logit >= min_logit) ++m;
        keep = m;
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
