/**
 * The console's UI strings in English and Chinese. Every label, heading, button, hint and
 * status word of the console is here; clinical content (messages, drafts, findings, rule codes
 * and their evidence, reasons) is shown as recorded. The reviewer's language is, in order: the
 * `?lang=zh|en` query (remembered in the `gp_lang` cookie), that cookie, the browser's
 * Accept-Language, English.
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";

export type UiLang = "en" | "zh";
export const LANG_COOKIE = "gp_lang";

const isLang = (v: unknown): v is UiLang => v === "en" || v === "zh";

/** The first of zh/en the browser prefers (q-weighted), or null. */
export function fromAcceptLanguage(header: string | undefined): UiLang | null {
  if (!header) return null;
  const prefs = header
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const w = q ? Number(q.slice(2)) : 1;
      return { tag: tag.toLowerCase(), w: Number.isFinite(w) ? w : 0, i };
    })
    .filter((p) => p.w > 0)
    .sort((a, b) => b.w - a.w || a.i - b.i);
  for (const p of prefs) {
    if (p.tag === "zh" || p.tag.startsWith("zh-")) return "zh";
    if (p.tag === "en" || p.tag.startsWith("en-")) return "en";
  }
  return null;
}

/** Resolve the reviewer's language; a `?lang=` choice is remembered in a cookie. */
export function uiLang(c: Context, secure: boolean): UiLang {
  const q = c.req.query("lang");
  if (isLang(q)) {
    setCookie(c, LANG_COOKIE, q, { path: "/console", sameSite: "Lax", httpOnly: true, secure, maxAge: 365 * 86400 });
    return q;
  }
  const cookie = getCookie(c, LANG_COOKIE);
  if (isLang(cookie)) return cookie;
  return fromAcceptLanguage(c.req.header("accept-language")) ?? "en";
}

/** The current URL with `lang` set, for the language switch (path and query only). */
export function langHref(url: string, lang: UiLang): string {
  const u = new URL(url);
  u.searchParams.set("lang", lang);
  u.searchParams.delete("done");
  u.searchParams.delete("error");
  return `${u.pathname}${u.search}`;
}

const en = {
  htmlLang: "en",
  appName: "GlycoPilot review",
  skip: "Skip to main content",
  navLabel: "Console",
  navQueue: "Queue",
  navRubric: "Rubric",
  signOut: "Sign out",
  language: "Language",
  roles: { reviewer: "reviewer", admin: "admin", clinician: "clinician", patient: "patient" } as Record<string, string>,
  // sign-in
  signInTitle: "Sign in",
  username: "Username",
  password: "Password",
  signIn: "Sign in",
  formExpired: "the sign-in form expired; reload it",
  wrongPassword: "Wrong username or password.",
  lockedOut: (s: number) => `Too many failed sign-ins. Try again in ${s} s.`,
  // enums
  urgency: { emergency: "emergency", urgent: "urgent", routine: "routine" } as Record<string, string>,
  status: {
    open: "open",
    acknowledged: "acknowledged",
    approved: "approved",
    edited: "edited",
    rejected: "rejected",
  } as Record<string, string>,
  responder: { physician: "physician", nurse: "nurse", assistant: "assistant", bot: "bot" } as Record<string, string>,
  kind: { consultation: "consultation", message: "message" } as Record<string, string>,
  sender: { patient: "patient", clinician: "clinician", reviewer: "reviewer" } as Record<string, string>,
  action: {
    send: "send",
    "send-with-caveat": "send with a caveat",
    "hold-for-review": "hold for review",
    escalate: "escalate",
  } as Record<string, string>,
  severity: { block: "block", warn: "warn", info: "info" } as Record<string, string>,
  section: {
    "Lab test": "Lab test",
    Examination: "Examination",
    Medication: "Medication",
    Recommendation: "Recommendation",
  } as Record<string, string>,
  rejectReason: {
    "unsafe-medication": "unsafe medication",
    "wrong-dose": "wrong dose",
    contraindicated: "contraindicated",
    "not-grounded": "not grounded in the sources",
    "wrong-audience": "wrong audience",
    "needs-in-person-care": "needs in-person care",
    incomplete: "incomplete",
    other: "other",
  } as Record<string, string>,
  axes: {
    treatment: "Treatment appropriateness",
    medication: "Medication accuracy",
    relevance: "Relevance",
    safety: "Safety",
    reasoning: "Logical reasoning",
    usefulness: "Usefulness",
  } as Record<string, string>,
  patientContextLabel: {
    "Age / sex": "Age / sex",
    Department: "Department",
    Diagnoses: "Diagnoses",
    "Chief complaint": "Chief complaint",
    "Present illness": "Present illness",
    Labs: "Labs",
    Medications: "Medications",
    Allergies: "Allergies",
    eGFR: "eGFR",
    Pregnancy: "Pregnancy",
    Dialysis: "Dialysis",
    "Recent events": "Recent events",
  } as Record<string, string>,
  // countdown
  dueIn: (t: string) => `due in ${t}`,
  overdueBy: (t: string) => `overdue by ${t}`,
  units: ["d", "h", "m", "s"] as readonly [string, string, string, string],
  // queue
  queueTitle: "Queue",
  queueHeading: "Review queue",
  filterLabel: "Filter cases",
  fUrgency: "Urgency",
  fStatus: "Status",
  fChannel: "Channel",
  fRule: "Rule fired",
  fAge: "Age",
  all: "All",
  any: "Any",
  activeStatus: "Open or acknowledged",
  ages: ["Any age", "Older than 5 minutes", "Older than 1 hour", "Older than 1 day"] as readonly string[],
  applyFilters: "Apply filters",
  caption: (n: number) => `${n} case${n === 1 ? "" : "s"}, most urgent first`,
  colCase: "Case",
  colPatient: "Patient",
  colMessage: "Message (redacted)",
  colUrgency: "Urgency",
  colStatus: "Status",
  colChannel: "Channel",
  colRules: "Rules fired",
  colOpened: "Opened",
  colSla: "Service level",
  acknowledgedBy: (who: string) => `acknowledged by ${who}`,
  decided: "decided",
  noPatient: "no patient record",
  patientHint: "Pseudonymous label: the same patient has the same label; identity stays in the encrypted record.",
  emptyQueue: "No cases match these filters.",
  // case page
  caseTitle: (id: string) => `Case ${id}`,
  done: (what: string) => `Done: ${what}.`,
  doneTriage: "triage corrected",
  doneScore: "score saved",
  errTriage: "choose an urgency and a responder",
  errScore: "score every axis from 1 to 5",
  by: (who: string) => `by ${who}`,
  reasonCode: (code: string) => `reason: ${code}`,
  slaMet: "met (acknowledged or decided)",
  held: "reply held",
  alreadySent: "a reply was already sent",
  fromA: (kind: string, sender: string) => `${kind} from a ${sender}`,
  hDecision: "Pipeline decision",
  noReasons: "No reasons recorded.",
  hTriage: "Triage",
  tUrgency: "Urgency",
  tResponder: "Responder",
  tSecondOpinion: "Model second opinion",
  secondHigher: (u: string) => `disagreed: the model rated it ${u} (the higher urgency was kept)`,
  secondLower: (u: string) => `disagreed: the model rated it lower (${u}); the rules' urgency was kept`,
  secondNone: "no disagreement recorded",
  corrected: (who: string, u: string, r: string) => `corrected by ${who} to ${u} / ${r}`,
  hRules: "Rules fired",
  noRules: "No rule fired.",
  injectionEvidence: "the pre-check found instruction-like text aimed at the assistant in this message",
  complexityTag: "complexity",
  precheckTag: "pre-check",
  findingTag: "finding",
  hAct: "Your decision",
  shortcutsHint: "Shortcuts: A approve · E edit · R reject (not while typing in a field).",
  acknowledge: "Acknowledge",
  approve: "Approve and send as drafted",
  approveNoDraft: "There is no held draft to approve; edit or reject.",
  editLabel: "Edited reply (this exact text is delivered)",
  sendEdited: "Send edited reply",
  rejectLegend: "Reject and withhold",
  reasonLabel: "Reason",
  chooseReason: "Choose a reason…",
  altLabel: "What should have been said (optional; used for training)",
  reject: "Reject",
  decidedNote: "This case is decided.",
  hMessage: "Message (redacted)",
  hDraft: "Draft",
  draftMeta: (mode: string, model: string, conf: string) => `${mode} · ${model} · confidence ${conf}`,
  draftCaption: "Draft items and their citations",
  colItem: "Item",
  colContent: "Content",
  colCitations: "Citations",
  none: "none",
  noneFull: "None.",
  patientReply: "Patient reply",
  notDelivered: " (draft — not delivered)",
  noDraft: "No draft (emergency path or pipeline error).",
  hFindings: "Findings",
  findingOn: (item: string) => `on “${item}”`,
  hPatient: "Patient context (redacted)",
  noPatientContext: "No patient context.",
  hConversation: "Conversation so far",
  thisCase: " (this case)",
  replyDelivered: "Reply (delivered):",
  notDeliveredDraft: "Not delivered",
  draftWord: "(draft):",
  hHistory: "Conversation memory",
  historyNote: "What the assistant remembered of earlier turns (redacted).",
  hPassages: "Retrieved passages",
  passageMeta: (chunk: string, v: string, score: string) => `(${chunk}, v${v}, score ${score})`,
  hTriageFix: "Correct the triage",
  triageFixNote: "The queue follows your correction; corrections train the triage model (glycopilot export triage-dpo).",
  saveTriage: "Save triage correction",
  hRubric: "Rubric score",
  saveScore: "Save score",
  scoresCount: (n: number) => `${n} reviewer score(s) on this case.`,
  hAudit: "Audit trail and pages",
  pageLine: (level: number, target: string, at: string) => `page level ${level} → ${target} at ${at}`,
  // rubric page
  rubricTitle: "Rubric",
  rubricIntro:
    "Reviewers score cases 1–5 on the six axes the paper's endocrinologists used. Agreement is the quadratic-weighted Cohen's kappa of each pair of reviewers over the cases both scored (at least two), averaged over pairs.",
  meanCaption: "Mean score per model",
  colModel: "Model",
  colScored: "Cases scored",
  hAgreement: "Inter-rater agreement",
  kappaCaption: "Quadratic-weighted Cohen's kappa per axis",
  colAxis: "Axis",
  colKappa: "Kappa",
  colPairs: "Reviewer pairs",
  colShared: "Shared cases",
  notEnough: "not enough overlap",
};

export type Strings = typeof en;

const zh: Strings = {
  htmlLang: "zh-CN",
  appName: "GlycoPilot 审核台",
  skip: "跳到主要内容",
  navLabel: "审核台",
  navQueue: "队列",
  navRubric: "评分",
  signOut: "退出登录",
  language: "语言",
  roles: { reviewer: "审核员", admin: "管理员", clinician: "临床医生", patient: "患者" },
  signInTitle: "登录",
  username: "用户名",
  password: "密码",
  signIn: "登录",
  formExpired: "登录表单已过期，请刷新页面",
  wrongPassword: "用户名或密码错误。",
  lockedOut: (s: number) => `登录失败次数过多，请 ${s} 秒后再试。`,
  urgency: { emergency: "紧急", urgent: "尽快", routine: "常规" },
  status: { open: "待处理", acknowledged: "已认领", approved: "已批准", edited: "已修改发送", rejected: "已拒绝" },
  responder: { physician: "医生", nurse: "护士", assistant: "助理", bot: "机器人" },
  kind: { consultation: "会诊", message: "消息" },
  sender: { patient: "患者", clinician: "临床医生", reviewer: "审核员" },
  action: { send: "发送", "send-with-caveat": "附提示发送", "hold-for-review": "暂缓，待审核", escalate: "升级处理" },
  severity: { block: "阻断", warn: "警告", info: "提示" },
  section: { "Lab test": "检验", Examination: "检查", Medication: "用药", Recommendation: "建议" },
  rejectReason: {
    "unsafe-medication": "用药不安全",
    "wrong-dose": "剂量错误",
    contraindicated: "存在禁忌",
    "not-grounded": "缺乏依据",
    "wrong-audience": "对象不当",
    "needs-in-person-care": "需要线下就诊",
    incomplete: "不完整",
    other: "其他",
  },
  axes: {
    treatment: "治疗适当性",
    medication: "用药准确性",
    relevance: "相关性",
    safety: "安全性",
    reasoning: "逻辑推理",
    usefulness: "实用性",
  },
  patientContextLabel: {
    "Age / sex": "年龄 / 性别",
    Department: "科室",
    Diagnoses: "诊断",
    "Chief complaint": "主诉",
    "Present illness": "现病史",
    Labs: "检验结果",
    Medications: "用药",
    Allergies: "过敏",
    eGFR: "eGFR",
    Pregnancy: "妊娠",
    Dialysis: "透析",
    "Recent events": "近期事件",
  },
  dueIn: (t: string) => `剩余 ${t}`,
  overdueBy: (t: string) => `已超时 ${t}`,
  units: ["天", "小时", "分", "秒"],
  queueTitle: "队列",
  queueHeading: "审核队列",
  filterLabel: "筛选病例",
  fUrgency: "紧急程度",
  fStatus: "状态",
  fChannel: "渠道",
  fRule: "触发的规则",
  fAge: "等待时长",
  all: "全部",
  any: "任意",
  activeStatus: "待处理或已认领",
  ages: ["不限", "超过 5 分钟", "超过 1 小时", "超过 1 天"],
  applyFilters: "筛选",
  caption: (n: number) => `共 ${n} 个病例，最紧急的在前`,
  colCase: "病例",
  colPatient: "患者",
  colMessage: "消息（已脱敏）",
  colUrgency: "紧急程度",
  colStatus: "状态",
  colChannel: "渠道",
  colRules: "触发的规则",
  colOpened: "创建时间",
  colSla: "服务时限",
  acknowledgedBy: (who: string) => `${who} 已认领`,
  decided: "已处理",
  noPatient: "无患者档案",
  patientHint: "化名标签：同一患者标签相同；身份信息保存在加密档案中。",
  emptyQueue: "没有符合筛选条件的病例。",
  caseTitle: (id: string) => `病例 ${id}`,
  done: (what: string) => `已完成：${what}。`,
  doneTriage: "分诊已更正",
  doneScore: "评分已保存",
  errTriage: "请选择紧急程度和处理人",
  errScore: "请为每个维度打 1 到 5 分",
  by: (who: string) => `（${who}）`,
  reasonCode: (code: string) => `原因：${code}`,
  slaMet: "已达成（已认领或已处理）",
  held: "回复已暂缓",
  alreadySent: "已发送过回复",
  fromA: (kind: string, sender: string) => `来自${sender}的${kind}`,
  hDecision: "系统决定",
  noReasons: "没有记录原因。",
  hTriage: "分诊",
  tUrgency: "紧急程度",
  tResponder: "处理人",
  tSecondOpinion: "模型第二意见",
  secondHigher: (u: string) => `意见不同：模型判为${u}（已采用更高的紧急程度）`,
  secondLower: (u: string) => `意见不同：模型判得更低（${u}），保留规则的紧急程度`,
  secondNone: "未记录分歧",
  corrected: (who: string, u: string, r: string) => `${who} 已更正为 ${u} / ${r}`,
  hRules: "触发的规则",
  noRules: "没有触发规则。",
  injectionEvidence: "预检在这条消息中发现了针对助手的指令式文本",
  complexityTag: "复杂度",
  precheckTag: "预检",
  findingTag: "发现",
  hAct: "您的决定",
  shortcutsHint: "快捷键：A 批准 · E 修改 · R 拒绝（在输入框中输入时不生效）。",
  acknowledge: "认领",
  approve: "批准并按草稿发送",
  approveNoDraft: "没有可批准的暂缓草稿，请修改或拒绝。",
  editLabel: "修改后的回复（将原样发送）",
  sendEdited: "发送修改后的回复",
  rejectLegend: "拒绝并不发送",
  reasonLabel: "原因",
  chooseReason: "请选择原因…",
  altLabel: "应该怎样回复（可选，用于训练）",
  reject: "拒绝",
  decidedNote: "此病例已处理。",
  hMessage: "消息（已脱敏）",
  hDraft: "草稿",
  draftMeta: (mode: string, model: string, conf: string) => `${mode} · ${model} · 置信度 ${conf}`,
  draftCaption: "草稿条目及其引用",
  colItem: "条目",
  colContent: "内容",
  colCitations: "引用",
  none: "无",
  noneFull: "无。",
  patientReply: "给患者的回复",
  notDelivered: "（草稿，未发送）",
  noDraft: "没有草稿（急诊路径或流程错误）。",
  hFindings: "检查发现",
  findingOn: (item: string) => `涉及“${item}”`,
  hPatient: "患者信息（已脱敏）",
  noPatientContext: "没有患者信息。",
  hConversation: "对话记录",
  thisCase: "（本病例）",
  replyDelivered: "回复（已发送）：",
  notDeliveredDraft: "未发送",
  draftWord: "（草稿）：",
  hHistory: "对话记忆",
  historyNote: "助手记住的先前对话（已脱敏）。",
  hPassages: "检索到的资料",
  passageMeta: (chunk: string, v: string, score: string) => `（${chunk}，v${v}，得分 ${score}）`,
  hTriageFix: "更正分诊",
  triageFixNote: "队列将按您的更正排序；更正用于训练分诊模型（glycopilot export triage-dpo）。",
  saveTriage: "保存分诊更正",
  hRubric: "量表评分",
  saveScore: "保存评分",
  scoresCount: (n: number) => `本病例已有 ${n} 份审核评分。`,
  hAudit: "审计记录和呼叫",
  pageLine: (level: number, target: string, at: string) => `第 ${level} 级呼叫 → ${target}，${at}`,
  rubricTitle: "评分",
  rubricIntro:
    "审核员按论文中内分泌科医生使用的六个维度为病例打 1–5 分。一致性为每对审核员在双方都评过的病例（至少两个）上的二次加权 Cohen's kappa，再对各对取平均。",
  meanCaption: "各模型平均得分",
  colModel: "模型",
  colScored: "已评病例数",
  hAgreement: "评分者间一致性",
  kappaCaption: "各维度的二次加权 Cohen's kappa",
  colAxis: "维度",
  colKappa: "Kappa",
  colPairs: "审核员对数",
  colShared: "共同病例数",
  notEnough: "重叠不足",
};

export const STRINGS: Record<UiLang, Strings> = { en, zh };

/** A label from one of the enum maps, or the value itself when the map does not know it. */
export const label = (map: Record<string, string>, v: string): string => map[v] ?? v;

/** "3d 4h", "2h 5m", "4m 10s" — or 3天 4小时 … in Chinese. */
export function span(ms: number, t: Strings): string {
  const [d, h, m, s] = t.units;
  const sec = Math.floor(Math.abs(ms) / 1000);
  const dd = Math.floor(sec / 86400);
  const hh = Math.floor((sec % 86400) / 3600);
  const mm = Math.floor((sec % 3600) / 60);
  return dd ? `${dd}${d} ${hh}${h}` : hh ? `${hh}${h} ${mm}${m}` : `${mm}${m} ${sec % 60}${s}`;
}
