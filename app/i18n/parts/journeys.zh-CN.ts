/** Next steps, confirmation steps and the to-do lists of the home pages (issue: every journey in the fewest steps). */
export const journeysZhCN = {
  "volunteers.cert.qrAlt": "核验本证明的二维码（扫码打开公开核验页）",
  "confirm.title": "确定要{action}吗？",
  "confirm.do": "确认：{action}",
  "confirm.cancel": "不，返回",
  "room.closeConsequence": "议事会将立即结束：不能再发言、举手或签到，纪要随即生成。此操作不能撤销。",
  "voting.closeConsequence": "表决将立即截止并计票，结果随即公布，之后不能再投票、改票或录入纸质选票。此操作不能撤销。",
  "voting.cancelConsequence": "这次表决将被取消，不会开始。此操作不能撤销。",
  "selection.drawConsequence": "将用您填写的公开随机数抽出议事代表并公开秘密值。抽签结果不能重来。",
  "matters.consequence.reject": "议题将不予受理，理由向所有人公开。此操作不能撤销。",
  "matters.consequence.annul": "议题将被撤销，理由向所有人公开。此操作不能撤销。",
  "matters.consequence.withdraw": "议题将被撤回，不再征集附议。此操作不能撤销。",
  "matters.consequence.merge": "本议题将并入目标议题，附议人一并转入。此操作不能撤销。",
} as const;
