// The continuous-batching engine: one thread owns one llama_context and runs the slot loop
// (admit, make_room, add_decode_tokens, add_prefill_chunks, decode_views, sample_and_stop,
// retire). Other threads only post requests and cancellations; finished completions and
// throttled progress leave through one callback, in batches.
#pragma once

#include "cpu_threadpool.h"
#include "model.h"
#include "sampler.h"
#include "sampling_pool.h"
#include "stop_strings.h"
#include "thread_tuner.h"
#include "token_batch.h"

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

// How sequences share the KV cache.
//  streams: one KV stream of n_ctx / n_seq_max cells per sequence (llama.cpp's kv_unified = false):
//           a sequence attends over its own cells only, so its logits do not depend on the batch.
//  pool:    one pool of n_ctx cells (kv_unified = true) that sequences take as they grow, with
//           preemption when it is full; the n samples of a prompt share its cells.
enum class kv_mode { streams, pool };

struct engine_params {
    uint32_t n_ctx = 4096;        // KV cells in all
    uint32_t n_seq_max = 4;       // sequences decoded together
    uint32_t n_batch = 512;       // tokens per llama_decode
    int32_t  n_threads = 0;       // 0: the physical cores this process may use, fewer while other processes hold them
    ggml_type kv_type = GGML_TYPE_F16;
    llama_flash_attn_type flash_attn = LLAMA_FLASH_ATTN_TYPE_AUTO;
    kv_mode mode = kv_mode::streams;
    // Batch-invariant decoding: a sequence's logits are bit for bit those it gets alone, whatever
    // else is in the batch (docs/performance.md). CPU and streams only; needs flash attention,
    // weights that are not repacked, and n_batch > n_seq_max; each sequence gets one KV cell less.
    bool deterministic = false;
};

// What llama.cpp made of engine_params (it pads n_ctx to 256 cells per stream and clamps n_batch
// to n_ctx); the engine schedules with these, never with the requested values.
struct engine_limits {
    uint32_t n_ctx = 0;        // KV cells in all
    uint32_t n_ctx_seq = 0;    // cells one sequence may fill: its stream, or the whole pool
    uint32_t n_batch = 0;      // tokens per llama_decode
    uint32_t n_seq_max = 0;
    uint32_t n_ctx_train = 0;  // the model's context (0: unknown)
    // Tokens (prompt + completion) a sample may reach: n_ctx_seq, or the model's context if smaller.
    uint32_t context() const { return n_ctx_train > 0 && n_ctx_train < n_ctx_seq ? n_ctx_train : n_ctx_seq; }
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

// FINISH_CONTEXT: the sample reached the model's context (prompt + completion = n_ctx_train)
// before max_tokens. The engine's own sizes never cut a sample: a request they cannot hold is
// refused up front.
enum finish_reason { FINISH_STOP, FINISH_LENGTH, FINISH_CONTEXT, FINISH_ABORT, FINISH_ERROR };

struct completion {
    uint32_t job = 0, index = 0;
    int32_t sample = 0;
    std::string text;
    finish_reason finish = FINISH_STOP;
    std::string error;
    int32_t prompt_tokens = 0, completion_tokens = 0;
    int32_t preemptions = 0;  // times the pool took this sample's cells back (it was recomputed)
    double t_admit_ms = 0, t_first_ms = 0, t_end_ms = 0;  // engine clock: admitted, first token, finished
};

struct engine_progress {
    int32_t  active = 0;       // sequences holding a slot
    int32_t  queued = 0;       // samples waiting for a slot (preempted ones included)
    uint64_t prompt_tokens = 0;     // since the engine started (recomputed ones included)
    uint64_t generated_tokens = 0;  // since the engine started
    uint64_t preemptions = 0;       // since the engine started
    uint32_t kv_cells_used = 0;     // KV cells holding tokens now
    double   tokens_per_sec = 0;    // generated, over the last interval
};

struct engine_event {
    std::vector<completion> done;
    engine_progress progress;
    // Set when the engine thread caught an exception: the jobs whose work it dropped.
    std::string failure;
    std::vector<uint32_t> failed_jobs;
};

// Test hooks (engine::inject_fault): where to throw, to prove the exception boundary.
enum class engine_fault { loop, sampling };

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
    // Test hook: the (after + 1)-th loop step or draw from now throws std::runtime_error.
    void inject_fault(engine_fault where, int32_t after);

    const engine_limits & limits() const { return lim; }
    // "on" or "off" as llama.cpp decided; "auto" only if its log did not say.
    const std::string & flash_attn() const { return flash_attn_used; }
    // Whether the thread count adapts to the machine's load (threads were not fixed).
    bool threads_adaptive() const { return adaptive_threads; }
    const engine_params & params() const { return cparams; }
    const std::shared_ptr<model_handle> & model_ref() const { return model; }

private:
    struct request_state;
    struct sample_run;
    struct seq;

    void run();
    bool step();
    void recover(const std::string & what) noexcept;
    void shut_down();
    bool take_posted(bool block);
    bool check_fits(const std::shared_ptr<request_state> & req);
    void admit();
    void start(seq & s, std::unique_ptr<sample_run> run, uint64_t order);
    bool room_to_admit(int32_t cells) const;
    void make_room();
    void preempt(seq & s);
    void requeue(seq & s);
    void start_batch();
    void add_decode_tokens();
    void add_prefill_chunks();
    void add_throwaway(const seq & s, llama_pos pos, bool logits);
    void decode_views();
    void drop_throwaways(int32_t view_start, int32_t view_len);
    void advance(int32_t view_start, int32_t view_len);
    void sample_and_stop(int32_t view_start, int32_t view_len);
    void fan_out(seq & parent, const std::vector<int32_t> & children);
    void process_token(seq & s, llama_token token);
    void finish(seq & s, finish_reason why, const std::string & error = "");
    void fail_view(int32_t view_start, int32_t view_len, const std::string & error);
    void retire();
    void release(seq & s);
    void abort_job(uint32_t job);
    void reject(const std::shared_ptr<request_state> & req, finish_reason why, const std::string & error);
    void emit(bool force);
    uint32_t cells_used() const;
    std::vector<seq *> holders_oldest_first();
    double now_ms() const;

    std::shared_ptr<model_handle> model;
    engine_params cparams;
    cpu_threadpool_ptr threadpool;  // before ctx: the context uses it until it is freed
    llama_context_ptr ctx;
    engine_limits lim;
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
    std::atomic<int32_t> fault_loop{0}, fault_sampling{0};  // countdowns; 0: off

    // Owned by the engine thread.
    std::deque<std::shared_ptr<request_state>> pending;  // new requests, samples not yet started
    std::deque<std::unique_ptr<sample_run>> preempted;   // admitted before the new ones
    std::vector<seq> seqs;
    std::unique_ptr<token_batch> batch;
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
    std::unique_ptr<sampling_pool> sampler_threads;
    bool adaptive_threads = false;
    std::unique_ptr<thread_tuner> tuner;
    int32_t threads_set = 0;  // what llama.cpp was last told
    uint64_t admissions = 0;  // admission order of slots: the newest is preempted first
    uint64_t share_groups = 0;
    uint64_t prompt_tokens_total = 0, generated_total = 0, generated_at_last_emit = 0, preemptions_total = 0;
    double last_emit_ms = 0, rate = 0;
    std::chrono::steady_clock::time_point epoch;

    std::thread worker;
};
