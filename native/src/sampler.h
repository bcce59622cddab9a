// Per-sample token sampling: penalties, temperature, top-k, top-p, min-p, and a seeded RNG that
// belongs to one sample, so a sample's tokens never depend on which other sequences share its batch.
#pragma once

#include "llama.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

struct sampling_params {
    float    temperature        = 0.0f;  // <= 0: greedy
    float    top_p              = 1.0f;
    int32_t  top_k              = 0;     // <= 0: off
    float    min_p              = 0.0f;
    float    repetition_penalty = 1.0f;  // vLLM semantics: prompt and output tokens
    float    presence_penalty   = 0.0f;  // output tokens only
    float    frequency_penalty  = 0.0f;  // output tokens only
    uint64_t seed               = 0;

    // Empty when valid, else what is wrong (the caller turns it into a TypeError).
    std::string validate() const;
    bool is_greedy() const { return temperature <= 0.0f; }
    bool has_penalties() const { return repetition_penalty != 1.0f || presence_penalty != 0.0f || frequency_penalty != 0.0f; }
};

// xoshiro256** seeded through splitmix64: fully specified, so results match across platforms
// (std::uniform_real_distribution is implementation-defined).
class sample_rng {
public:
    sample_rng(uint64_t seed, uint64_t sample_index);
    double next_unit();  // uniform in [0, 1)

private:
    uint64_t s[4];
};

// Reused across samples and steps by whoever samples (the engine thread owns one): a 150k-token
// vocabulary needs a few MB of candidates, which a sampler per sequence would each hold.
struct sampler_scratch {
    struct candidate {
        llama_token id;
        float logit;
        float weight;  // probability relative to the best token's
    };
    std::vector<llama_token> ids;     // candidates, in token order: the first n_cands
    size_t n_cands = 0;
    std::vector<float> cand_logits;   // their logits
    std::vector<float> weights;       // their probabilities relative to the best token's
    std::vector<candidate> work;      // the top-k and top-p selections
    std::vector<float> penalised;     // a row of logits after the penalties
};

class seq_sampler {
public:
    seq_sampler(const sampling_params & params, uint64_t sample_index, const std::vector<llama_token> * prompt_unique);

    // Picks the next token from one row of logits (not modified).
    llama_token sample(const float * logits, int32_t n_vocab, sampler_scratch & scratch);
    // Records a generated token for the presence/frequency/repetition penalties.
    void accept(llama_token token);

private:
    void apply_penalties(std::vector<float> & logits) const;
    llama_token sample_from(const float * logits, int32_t n_vocab, sampler_scratch & scratch);
    float top_p_floor(const sampler_scratch & s, float top, float floor, double & total) const;
    llama_token draw_in_token_order(std::vector<sampler_scratch::candidate> & kept, float min_weight);

    sampling_params params;
    sample_rng rng;
    const std::vector<llama_token> * prompt_unique;  // sorted unique prompt tokens, owned by the request
    std::unordered_map<llama_token, int32_t> output_counts;
};
