#include "sampler.h"

#include "logit_kernels.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

using candidate = sampler_scratch::candidate;

// The ranking every selection uses: higher logit first, then lower token id, so ties never
// depend on the order an algorithm happens to visit candidates in.
static bool ranks_above(const candidate & a, const candidate & b) {
    return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
}

static uint64_t splitmix64(uint64_t & x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

template <typename T> static constexpr const char * field_kind() {
    if constexpr (std::is_same_v<T, bool>) return "boolean";
    else if constexpr (std::is_same_v<T, stop_strings_list>) return "strings";
    else if constexpr (std::is_same_v<T, token_biases>) return "token_biases";
    else if constexpr (std::is_integral_v<T>) return "integer";
    else return "number";
}

const std::vector<sampling_field> k_sampling_fields = {
#define SAMPLING_ROW(name, type, def, lo, hi, lo_open) {#name, field_kind<type>(), lo, hi, lo_open},
    SAMPLING_FIELDS(SAMPLING_ROW)
#undef SAMPLING_ROW
};

std::string sampling_params::validate() const {
    if (min_tokens > max_tokens) {
        return "min_tokens (" + std::to_string(min_tokens) + ") must not exceed max_tokens (" + std::to_string(max_tokens) + ")";
    }
    return "";
}

std::string sampling_params::check_vocab(int32_t n_vocab) const {
    for (const auto & [token, bias] : logit_bias) {
        if (token >= n_vocab) {
            return "logit_bias names token " + std::to_string(token) + ", which is not in the vocabulary (0 to " + std::to_string(n_vocab - 1) + ")";
        }
    }
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

seq_sampler::seq_sampler(const sampling_params & params, uint64_t sample_index, sampler_context context)
    : params(params), rng(params.seed, sample_index), context(context) {}

void seq_sampler::accept(llama_token token) {
    n_accepted++;
    if (params.has_penalties()) output_counts[token]++;
}

bool seq_sampler::adjusts_logits() const {
    return !params.logit_bias.empty() || (!may_stop() && context.eog) || params.has_penalties();
}

// vLLM's order: logit_bias and the min_tokens mask (logits processors), then the penalties.
void seq_sampler::adjust_logits(std::vector<float> & logits) const {
    const int32_t n_vocab = int32_t(logits.size());
    for (const auto & [t, bias] : params.logit_bias) {
        if (t < n_vocab) logits[t] += bias;
    }
    if (!may_stop() && context.eog) {
        for (llama_token t : *context.eog) {
            if (t >= 0 && t < n_vocab) logits[t] = -INFINITY;
        }
    }
    if (!params.has_penalties()) return;
    const float rp = params.repetition_penalty;
    auto repeat = [&](llama_token t) {
        float & l = logits[t];
        l = l > 0.0f ? l / rp : l * rp;
    };
    const auto * prompt_unique = context.prompt_unique;
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

llama_token seq_sampler::sample(const float * logits, int32_t n_vocab, sampler_scratch & scratch) {
    if (!adjusts_logits()) {
        return params.is_greedy() ? argmax(logits, n_vocab) : sample_from(logits, n_vocab, scratch);
    }
    scratch.adjusted.assign(logits, logits + n_vocab);
    adjust_logits(scratch.adjusted);
    const float * adjusted = scratch.adjusted.data();
    return params.is_greedy() ? argmax(adjusted, n_vocab) : sample_from(adjusted, n_vocab, scratch);
}

// Moves the smallest set of best-ranked candidates of `work` whose weights sum to at least
// `target` to its front and returns its size: quickselect on mass, linear on average, where
// sorting a flat 150k-token distribution per token would not be.
static size_t nucleus(std::vector<candidate> & work, double target) {
    size_t lo = 0, hi = work.size();  // the boundary lies in [lo, hi); work[0, lo) are kept
    double need = target;
    while (hi - lo > 1) {
        // Deterministic pivot: median of three positions.
        const size_t mid = lo + (hi - lo) / 2;
        candidate a = work[lo], b = work[mid], c = work[hi - 1];
        if (ranks_above(b, a)) std::swap(a, b);
        if (ranks_above(c, b)) std::swap(b, c);
        if (ranks_above(b, a)) std::swap(a, b);
        const candidate pivot = b;
        // Ranked above the pivot first, then the pivot itself, then the rest.
        const auto first_end = std::partition(work.begin() + lo, work.begin() + hi, [&](const candidate & x) { return ranks_above(x, pivot); });
        double upper = 0.0;
        for (auto it = work.begin() + lo; it != first_end; ++it) upper += it->weight;
        const size_t split = size_t(first_end - work.begin());
        if (upper >= need) {
            hi = split;
            continue;
        }
        // Take the upper part and the pivot; stop if that suffices.
        std::iter_swap(first_end, std::find_if(first_end, work.begin() + hi, [&](const candidate & x) { return x.id == pivot.id; }));
        need -= upper + pivot.weight;
        lo = split + 1;
        if (need <= 0.0) return lo;
    }
    return std::min(work.size(), std::max<size_t>(lo + (hi > lo ? 1 : 0), 1));
}

// A token whose probability is under 1e-12 of the best token's is left out before anything else:
// even 150k of them hold under 2e-7 of the mass. On a trained model's distribution that leaves a
// few hundred candidates, so the rest of sampling costs next to nothing; flat distributions keep
// every token.
static constexpr float k_negligible_nats = 27.631f;  // ln(1e12)

// Top-p needs only the best-ranked candidates, and where a model is confident those few hold
// nearly all the mass. Its selection therefore starts from the highest of these levels (a
// token's probability relative to the best one's) whose candidates hold enough of the mass: every
// candidate at or above a level outranks every one below, so the nucleus comes out the same. A
// flat distribution needs them all.
static constexpr float k_top_p_levels[] = {1e-2f, 1e-4f, 1e-6f};

// A nucleus up to this size is sorted into token order for the draw; a bigger one (a flat
// distribution) is drawn by walking all candidates, which costs less than sorting it.
constexpr size_t k_small_nucleus = 4096;

// The logit from which top-p selects, one vectorised pass per level tried; `total` is the mass
// of all candidates.
float seq_sampler::top_p_floor(const sampler_scratch & s, float top, float floor, double & total) const {
    const auto m = int32_t(s.n_cands);
    int32_t count = 0;
    count_at_least(s.cand_logits.data(), s.weights.data(), m, floor, count, total);
    for (float level : k_top_p_levels) {
        const float from = top + std::log(level) * params.temperature;
        double mass = 0.0;
        count_at_least(s.cand_logits.data(), s.weights.data(), m, from, count, mass);
        if (mass >= double(params.top_p) * total) return from;
    }
    return floor;
}

// vLLM's order: temperature, then top-k, top-p and min-p on the tempered distribution. The
// filters only decide which candidates survive; the draw walks the survivors in token order, so
// the token depends on the seed alone, not on how a standard library partitions.
llama_token seq_sampler::sample_from(const float * logits, int32_t n_vocab, sampler_scratch & s) {
    const llama_token best_id = argmax(logits, n_vocab);
    const float top = logits[best_id];
    if (!std::isfinite(top)) return best_id;
    const float inv_t = 1.0f / params.temperature;

    const float floor = top - k_negligible_nats * params.temperature;
    if (s.ids.size() < size_t(n_vocab)) s.ids.resize(size_t(n_vocab));
    const size_t m = s.n_cands = size_t(indices_at_least(logits, n_vocab, floor, s.ids.data()));
    s.cand_logits.resize(m);
    for (size_t c = 0; c < m; ++c) s.cand_logits[c] = logits[s.ids[c]];
    const float min_weight = params.min_p;  // min-p: at least min_p times as likely as the best token
    auto & work = s.work;

    if (params.top_k > 0 && size_t(params.top_k) < m) {
        // Top-k ranks by logit alone, so only its k survivors need weights.
        work.resize(m);
        for (size_t c = 0; c < m; ++c) work[c] = {s.ids[c], s.cand_logits[c], 0.0f};
        // A heap of k: one comparison for most candidates when k is small.
        std::partial_sort(work.begin(), work.begin() + params.top_k, work.end(), ranks_above);
        work.resize(size_t(params.top_k));
        double mass = 0.0;
        for (auto & c : work) mass += c.weight = std::exp((c.logit - top) * inv_t);
        if (params.top_p < 1.0f) work.resize(nucleus(work, double(params.top_p) * mass));
        return draw_in_token_order(work, min_weight);
    }

    s.weights.resize(m);
    relative_weights(s.cand_logits.data(), int32_t(m), top, inv_t, s.weights.data());
    auto cand = [&](size_t c) { return candidate{s.ids[c], s.cand_logits[c], s.weights[c]}; };
    // Top-p keeps the candidates ranked at or above `worst`.
    const bool top_p = params.top_p < 1.0f;
    candidate worst = cand(0);
    if (top_p) {
        double total = 0.0;
        const float from = top_p_floor(s, top, floor, total);
        work.clear();
        for (size_t c = 0; c < m; ++c) {
            if (s.cand_logits[c] >= from) work.push_back(cand(c));
        }
        work.resize(nucleus(work, double(params.top_p) * total));
        if (work.size() <= k_small_nucleus) return draw_in_token_order(work, min_weight);
        worst = *std::max_element(work.begin(), work.end(), ranks_above);  // the last in rank order
    }
    auto kept = [&](size_t c) { return s.weights[c] >= min_weight && (!top_p || !ranks_above(worst, cand(c))); };

    double mass = 0.0;
    for (size_t c = 0; c < m; ++c) {
        if (kept(c)) mass += s.weights[c];
    }
    double r = rng.next_unit() * mass;
    llama_token last = best_id;
    for (size_t c = 0; c < m; ++c) {
        if (!kept(c)) continue;
        r -= s.weights[c];
        if (r < 0.0) return s.ids[c];
        last = s.ids[c];
    }
    return last;  // rounding left r >= 0 after the last survivor
}

// One draw, by weight, among the selected candidates that min-p keeps, taken in token order.
llama_token seq_sampler::draw_in_token_order(std::vector<candidate> & kept, float min_weight) {
    kept.erase(std::remove_if(kept.begin(), kept.end(), [&](const candidate & c) { return c.weight < min_weight; }), kept.end());
    std::sort(kept.begin(), kept.end(), [](const candidate & a, const candidate & b) { return a.id < b.id; });
    double mass = 0.0;
    for (const auto & c : kept) mass += c.weight;
    double r = rng.next_unit() * mass;
    for (const auto & c : kept) {
        r -= c.weight;
        if (r < 0.0) return c.id;
    }
    return kept.back().id;  // rounding left r >= 0 after the last one
}
