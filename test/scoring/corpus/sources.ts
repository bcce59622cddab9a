// Where the corpus cases come from: public test suites and bug reports of the graders people
// trust, at the commits read. A case cites `file:line` of the case it follows; cases written in our
// own words and data keep the verdict that line states.

/** [pred or response, gold, the source's verdict, our verdict's reason when our policy differs]. */
export type Case = readonly [source: string, pred: string, gold: string, verdict: boolean, policy?: string];

const at = (file: string) => (line: number) => `${file}:${line}`;

const MATH_VERIFY = "huggingface/Math-Verify@5d148cf";
export const mvAll = at(`${MATH_VERIFY} tests/test_all.py`);
export const mvNumina = at(`${MATH_VERIFY} tests/test_numina_cases.py`);
export const mvOpenThoughts = at(`${MATH_VERIFY} tests/test_open_thoughts.py`);
export const mvBoxed = at(`${MATH_VERIFY} tests/test_boxed.py`);
export const mvYujianll = at(`${MATH_VERIFY} tests/test_yujianll.py`);
export const mvStrings = at(`${MATH_VERIFY} tests/test_string_extraction.py`);
export const mvTimeout = at(`${MATH_VERIFY} tests/test_timeout.py`);
export const mvRaise = at(`${MATH_VERIFY} tests/test_raise_on_error.py`);
export const mvParser = at(`${MATH_VERIFY} src/math_verify/parser.py`);
export const mvGrader = at(`${MATH_VERIFY} src/math_verify/grader.py`);

export const lighteval = at("huggingface/lighteval@3fd1526 tests/unit/metrics/test_extractive_match.py");
export const nemoTests = at("NVIDIA/NeMo-Skills@0b012df tests/test_math_equal.py");
export const nemoGrader = at("NVIDIA/NeMo-Skills@0b012df nemo_skills/evaluation/math_grader.py");
export const qwenGrader = at("QwenLM/Qwen2.5-Math@a45202b evaluation/grader.py");
export const qwenParser = at("QwenLM/Qwen2.5-Math@a45202b evaluation/parser.py");
export const minerva = at("EleutherAI/lm-evaluation-harness@4e7e0d4 lm_eval/tasks/minerva_math/utils.py");
export const lmGpqa = at("EleutherAI/lm-evaluation-harness@4e7e0d4 lm_eval/tasks/gpqa/cot_zeroshot/_gpqa_cot_zeroshot_yaml");
export const lmMmluPro = at("EleutherAI/lm-evaluation-harness@4e7e0d4 lm_eval/tasks/mmlu_pro/_default_template_yaml");
export const tunixTests = at("google/tunix@c7d8950 tests/utils/math_utils_test.py");
export const tunix = at("google/tunix@c7d8950 tunix/utils/math_utils.py");
export const verlPrime = at("volcengine/verl@b178a3c verl/utils/reward_score/prime_math/grader.py");
export const openR1 = at("huggingface/open-r1@1416fa0 tests/test_rewards.py");
export const skyUtil = at("NovaSky-AI/SkyThought@0d190f1 skythought/evals/util/math_parsing_util.py");
export const skyArc = at("NovaSky-AI/SkyThought@0d190f1 skythought/evals/tasks/arc/arc_handler.py");

const issue = (repo: string) => (n: number) => `https://github.com/${repo}/issues/${n}`;
const pull = (repo: string) => (n: number) => `https://github.com/${repo}/pull/${n}`;
export const mvIssue = issue("huggingface/Math-Verify");
export const mvPull = pull("huggingface/Math-Verify");
export const lmIssue = issue("EleutherAI/lm-evaluation-harness");
export const simpleEvalsIssue = issue("openai/simple-evals");
export const simpleEvalsPull = pull("openai/simple-evals");
export const nemoPull = pull("NVIDIA-NeMo/Skills");
export const gymPull = pull("NVIDIA-NeMo/Gym");
export const evalscopePull = pull("modelscope/evalscope");
export const opencompassPull = pull("open-compass/opencompass");
export const verlIssue = issue("volcengine/verl");
export const opdvIssue = issue("aniri15/OPD-V");
export const tpuPull = pull("vllm-project/tpu-inference");
/** The kinds and examples of skythought issue 11 ("Grading that beats the most trusted graders"). */
export const issue11 = (kind: number) => `skythought issue 11, kind ${kind}`;
