import type { journeysZhCN } from "./journeys.zh-CN";

export const journeysEn: Record<keyof typeof journeysZhCN, string> = {
  "volunteers.cert.qrAlt": "QR code to verify this certificate (opens the public check)",
  "confirm.title": "Are you sure: {action}?",
  "confirm.do": "Yes: {action}",
  "confirm.cancel": "No, go back",
  "room.closeConsequence": "The session ends now: nobody can speak, raise a hand or check in any more, and the minutes are compiled. This cannot be undone.",
  "voting.closeConsequence": "The vote closes now and is counted; the result is published and no ballot can be cast, changed or entered on paper afterwards. This cannot be undone.",
  "voting.cancelConsequence": "This vote is cancelled and will not open. This cannot be undone.",
  "selection.drawConsequence": "The panel is drawn with the public entropy you enter and the secret is revealed. A draw cannot be run again.",
  "matters.consequence.reject": "The matter is rejected, with the reason shown to everyone. This cannot be undone.",
  "matters.consequence.annul": "The matter is annulled, with the reason shown to everyone. This cannot be undone.",
  "matters.consequence.withdraw": "The matter is withdrawn and no longer collects co-signs. This cannot be undone.",
  "matters.consequence.merge": "This matter is merged into the target matter, with its co-signers. This cannot be undone.",
};
