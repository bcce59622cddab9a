// The continuous-batching engine: one thread owns one llama_context and runs the slot loop
// (admit, add_decode_tokens, add_prefill_chunks, decode_views, sample_and_stop, retire). Other
// threads only post requests and cancellations; finished completions and throttled progress leave
// through one callback, in batches.
#pragma once

#include "cpu_threadpool.h"
#include "model.h"
#include "sampler.h"
#include "sampling_pool.h"
#include "stop_strings.h"
#include "thread_tuner.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

struct engine_params {
    uint32_t n_ctx = 4096;        // KV cells in all
    uint32_t n_seq_max = 4;       // sequences decoded together
    uint32_t n_batch = 512;       // tokens per llama_decode
    int32_t  n_threads = 0;       // 0: the physical cores this process may use, fewer while other processes hold them
    ggml_type kv_type = GGML_TYPE_F16;
    llama_flash_attn_type flash_attn = LLAMA_FLASH_ATTN_TYPE_AUTO;
    // Batch-invariant decoding: a sequence's logits are bit for bit those it gets alone, whatever
    // else is in the batch (docs/performance.md). CPU only; needs flash attention, weights that
    // are not repacked, and n_batch > n_seq_max; each sequence gets one KV cell less.
    bool deterministic = false;
};

struct gen_request {
    uint32_t job = 0;    // one generate() call on the JS side
    uint32_t index = 0;  // the request's place in that call
    std::string prompt;  // rendered prompt text, tokenised on the engine thread
    bool add_special = false;
    int32_t n = 1;
    std::vector<int32_t> samples;  // which of the n to draw (distinct, in [0, n)); empty: all
    sampling_params sampling;      // also max_tokens, min_tokens, stop, ignore_eos
};

enum finish_reason { FINISH_STOP, FINISH_LENGTH, FINISH_ABORT, FINISH_ERROR };

struct completion {
    uint32_t job = 0, index = 0;
    int32_t sample = 0;
    std::string text;
    finish_reason finish = FINISH_STOP;
    std::string error;
    int32_t prompt_tokens = 0, completion_tokens = 0;
    double t_admit_ms = 0, t_first_ms = 0, t_end_ms = 0;  // engine clock: admitted, first token, finished
};

struct engine_progress {
    int32_t  active = 0;       // sequences holding a slot
    int32_t  queued = 0;       // samples waiting for a slot
    uint64_t prompt_tokens = 0;     // since the engine started
    uint64_t generated_tokens = 0;  // since the engine started
    double   tokens_per_sec = 0;    // generated, over the last interval
};

struct engine_event {
    std::vector<completion> done;
    engine_progress progress;
};

class engine {
public:
    using event_sink = std::function<void(engine_event &&)>;

    // Creates the llama_context (throws std::runtime_error with a message on failure) and starts the thread.
    engine(std::shared_ptr<model_handle> model, const engine_params & params, event_sink sink);
    ~engine();

    engine(const engine &) = delete;
    engine & operator=(const engine &) = delete;

    void submit(std::vector<gen_request> requests);
    void cancel(uint32_t job);
    // Aborts everything still running (delivered as FINISH_ABORT), stops and joins the thread.
    void close();

    uint32_t n_ctx() const { return n_ctx_total; }
    uint32_t n_ctx_per_seq() const { return n_ctx_seq; }
    // "on" or "off" as llama.cpp decided; "auto" only if its log did not say.
    const std::string & flash_attn() const { return flash_attn_used; }
    // Whether the thread count adapts to the machine's load (threads were not fixed).
    bool threads_adaptive() const { return adaptive_threads; }
    const engine_params & params() const { return cparams; }
    const std::shared_ptr<model_handle> & model_ref() const { return model; }

private:
    struct request_state;
    struct seq;

    void run();
    bool take_posted(bool block);
    void admit();
    void start_batch();
    void add_decode_tokens();
    void add_prefill_chunks();
    void add_throwaway(const seq & s, llama_pos pos, bool logits);
    void decode_views();
    void drop_throwaways(int32_t view_start, int32_t view_len);
    void sample_and_stop(int32_t view_start, int32_t view_len);
    void fan_out(seq & parent, const std::vector<int32_t> & children);
    void process_token(seq & s, llama_token token);
    void finish(seq & s, finish_reason why, const std::string & error = "");
    void fail_view(int32_t view_start, const std::string & error);
    void retire();
    void abort_job(uint32_t job);
    void reject(const std::shared_ptr<request_state> & req, finish_reason why, const std::string & error);
    void emit(bool force);
    double now_ms() const;

    std::shared_ptr<model_handle> model;
    engine_params cparams;
    cpu_threadpool_ptr threadpool;  // before ctx: the context uses it until it is freed
    llama_context_ptr ctx;
    uint32_t n_ctx_total = 0, n_ctx_seq = 0;
    std::string flash_attn_used;
    int32_t n_vocab = 0;
    event_sink sink;

    // Posted by other threads.
    std::mutex mtx;
    std::condition_variable cv;
    std::vector<gen_request> posted;
    std::vector<uint32_t> posted_cancels;
    bool stopping = false;
    std::atomic<bool> abort_decode{false};

    // Owned by the engine thread.
    std::deque<std::shared_ptr<request_state>> pending;
    std::vector<seq> seqs;
    llama_batch batch{};
    int32_t n_decode_tokens = 0;  // the batch's first tokens: one per generating sequence, and throwaways
    // Deterministic mode: where each view of the batch ends, and the tokens decoded only so that
    // no ubatch holds a single token (their cells are dropped after the view).
    std::vector<int32_t> view_ends;
    struct throwaway {
        int32_t at;
        llama_seq_id id;
        llama_pos pos;
    };
    std::vector<throwaway> throwaways;
    std::vector<completion> outbox;
    struct draw {
        seq * s;
        const float * logits;
        llama_token token;
    };
    std::vector<draw> draws;  // this step's
    std::unique_ptr<sampling_pool> sampling;
    bool adaptive_threads = false;
    std::unique_ptr<thread_tuner> tuner;
    int32_t threads_set = 0;  // what llama.cpp was last told
    uint64_t prompt_tokens_total = 0, generated_total = 0, generated_at_last_emit = 0;
    double last_emit_ms = 0, rate = 0;
    std::chrono::steady_clock::time_point epoch;

    std::thread worker;
};
