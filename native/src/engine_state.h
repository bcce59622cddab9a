// The engine thread's private records: a request, one sample's progress (which outlives a
// preemption), and a slot. Only engine*.cpp include this.
#pragma once

#include "engine.h"

// Counts a test-hook countdown (engine::inject_fault) down; true when it reaches zero.
inline bool fault_due(std::atomic<int32_t> & countdown) {
    int32_t n = countdown.load(std::memory_order_relaxed);
    while (n > 0) {
        if (countdown.compare_exchange_weak(n, n - 1)) return n == 1;
    }
    return false;
}

enum seq_state {
    SEQ_IDLE,         // free slot
    SEQ_WAIT_PARENT,  // sample i > 0 of a request: waits for sample 0's prompt, then copies its KV
    SEQ_PREFILL,      // prompt (and, after a preemption, the tokens generated so far) going into the KV cache
    SEQ_GENERATE,     // one token per step
    SEQ_DONE,         // finished; retire() hands it over and frees the slot
};

struct engine::request_state {
    gen_request r;
    std::vector<llama_token> tokens;
    std::vector<llama_token> prompt_unique;  // sorted, for the repetition penalty
    stop_strings stops;
    std::vector<int32_t> samples;            // the sample indices to draw
    size_t next_sample = 0;                  // samples[next_sample...] have not started

    explicit request_state(gen_request in) : r(std::move(in)), stops(r.sampling.stop) {
        samples = r.samples;
        if (samples.empty()) {
            for (int32_t i = 0; i < r.n; ++i) samples.push_back(i);
        }
    }
    size_t waiting() const { return samples.size() - next_sample; }
};

// One sample's progress: in a slot while it runs, in the preempted queue while its cells are
// taken back. Its sampler (RNG state, penalty counts) and text move with it, so a preempted
// sample continues exactly where it stopped.
struct engine::sample_run {
    std::shared_ptr<request_state> req;
    int32_t sample = 0;
    std::unique_ptr<seq_sampler> sampler;  // declared after req: destroyed first, it points into req
    std::vector<llama_token> generated;  // accepted tokens; the last is not in the KV cache yet
    int32_t n_sampled = 0;               // tokens sampled, an end-of-generation token included
    std::string text;
    int32_t preemptions = 0;
    double t_admit = -1, t_first = -1;

    sample_run(std::shared_ptr<request_state> request, int32_t index, const std::vector<llama_token> * eog)
        : req(std::move(request)), sample(index),
          sampler(std::make_unique<seq_sampler>(req->r.sampling, uint64_t(index), sampler_context{&req->prompt_unique, eog})) {}

    // Tokens a slot decodes before sampling: the prompt, then (after a preemption) every token
    // generated so far, so the next token is drawn from the same position it would have been.
    int32_t feed_size() const { return int32_t(req->tokens.size() + generated.size()); }
    llama_token feed_at(int32_t i) const {
        const auto n = int32_t(req->tokens.size());
        return i < n ? req->tokens[size_t(i)] : generated[size_t(i - n)];
    }

    completion to_completion(finish_reason why, const std::string & error, double t_end) {
        completion c;
        c.job = req->r.job;
        c.index = req->r.index;
        c.sample = sample;
        c.text = std::move(text);
        c.finish = why;
        c.error = error;
        c.prompt_tokens = int32_t(req->tokens.size());
        c.completion_tokens = n_sampled;
        c.preemptions = preemptions;
        c.t_admit_ms = t_admit < 0 ? t_end : t_admit;
        c.t_first_ms = t_first < 0 ? t_end : t_first;
        c.t_end_ms = t_end;
        return c;
    }
};

struct engine::seq {
    llama_seq_id id = 0;
    seq_state state = SEQ_IDLE;
    std::unique_ptr<sample_run> run;
    uint64_t order = 0;         // admission order: the pool preempts the newest first
    int32_t n_past = 0;         // positions in the KV cache (while prefilling: feed tokens decoded)
    int32_t n_shared = 0;       // positions [0, n_shared) are cells shared with share_group
    uint64_t share_group = 0;   // pool: the prompt cells of one prefill, held by its samples; 0 none
    llama_token last = 0;       // sampled, not yet decoded
    int32_t i_batch = -1;       // row of this sequence's logits in the current batch
    std::vector<int32_t> children;  // WAIT_PARENT slots that share this prompt
    finish_reason why = FINISH_STOP;
    std::string error;
    double t_end = 0;

    bool busy() const { return state != SEQ_IDLE; }
    bool holds_cells() const { return state == SEQ_PREFILL || state == SEQ_GENERATE || state == SEQ_DONE; }
};
