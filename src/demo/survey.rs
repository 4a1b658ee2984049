//! The survey the demo export imitates: its attribute tables with the published counts, its
//! columns, who is asked which free-text question, how often cells are left empty or hold a
//! non-answer, and which categories each question's answers are written for, with their weights.
//!
//! The counts are those of the published report (IPA, 「2023年度 SECURITY ACTION宣言事業者における
//! 情報セキュリティ対策の実態調査」 報告書, 2024; N = 5,577), as `corpus/ipa-2024/README.md` cites it.

use super::compose::Category;
use super::pools::*;

/// Respondents in the survey, and the default of
/// [`DemoOptions::respondents`](super::DemoOptions::respondents).
pub const SURVEY_RESPONDENTS: usize = 5577;

/// Q1 業種, with the number of respondents of each (N = 5,577).
pub const INDUSTRIES: [(&str, u32); 20] = [
    ("農業、林業", 35),
    ("漁業", 3),
    ("鉱業、採石業、砂利採取業", 7),
    ("建設業", 868),
    ("製造業（印刷業を含む）", 1141),
    ("電気・ガス・熱供給・水道業", 34),
    ("情報通信業", 375),
    ("運輸業・郵便業（倉庫業を含む）", 110),
    ("卸売業・小売業", 824),
    ("金融業・保険業", 35),
    ("不動産業・物品賃貸業", 142),
    ("学術研究、専門・技術サービス業", 414),
    ("宿泊業、飲食サービス業", 123),
    ("生活関連サービス業、娯楽業", 98),
    ("教育、学習支援業", 54),
    ("医療、福祉", 650),
    ("複合サービス事業", 25),
    ("サービス業（他に分類されないもの）", 531),
    ("公務（他に分類されるものを除く）", 6),
    ("その他（分類不能の産業）", 102),
];

/// Q2 総従業員数, with the number of respondents of each.
pub const EMPLOYEE_COUNTS: [(&str, u32); 6] = [
    ("1～5名", 1468),
    ("6～20名", 1490),
    ("21～50名", 1136),
    ("51～100名", 700),
    ("101～300名", 610),
    ("301名以上", 173),
];

/// Q3 取組段階, with the number of respondents of each.
pub const STAGES: [(&str, u32); 3] = [
    ("一つ星（★）", 3337),
    ("二つ星（★★）", 972),
    ("わからない", 1268),
];

/// The stage whose respondents are asked Q13-1.
pub const ONE_STAR: &str = "一つ星（★）";

/// Respondents (of 5,577) asked Q10-1: those who chose an effect in Q10(2).
pub const EFFECT_CHOSEN: u32 = 2236;

/// The columns of the export, in order: the respondent id, three attributes, then
/// [`FREE_TEXT_COLUMNS`].
pub const COLUMNS: [&str; 13] = [
    "回答者ID",
    "業種",
    "従業員数",
    "取組段階",
    "Q6-1",
    "Q7-2",
    "Q10-1",
    "Q9",
    "Q10",
    "Q12",
    "Q13-1",
    "Q14",
    "Q15",
];

/// The free-text columns, in file order: the three free-answer questions, then the 「その他」
/// boxes of Q9, Q10, Q12, Q13-1, Q14 and Q15.
pub const FREE_TEXT_COLUMNS: [&str; 9] = [
    "Q6-1", "Q7-2", "Q10-1", "Q9", "Q10", "Q12", "Q13-1", "Q14", "Q15",
];

// Who answers what.

/// Share of respondents who skip free text: they leave most cells empty.
pub(super) const SKIPPER_PER_MILLE: u32 = 200;
pub(super) const EMPTY_PER_MILLE_SKIPPER: u32 = 800;
pub(super) const EMPTY_PER_MILLE_OTHERS: u32 = 215;
/// Share of the written-in cells of Q6-1, Q7-2 and Q10-1 that are non-answers.
pub(super) const NON_ANSWER_PER_MILLE_MAIN: u32 = 180;
/// Share of the written-in 「その他」 boxes that are non-answers.
pub(super) const NON_ANSWER_PER_MILLE_OTHER: u32 = 60;

#[derive(Debug, Clone, Copy)]
pub(super) enum Asked {
    Everyone,
    /// Q10-1: those who chose an effect in Q10(2).
    EffectChosen,
    /// Q13-1: 一つ星 respondents.
    OneStar,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Style {
    /// A free-answer question: about a third left empty.
    Main,
    /// A 「その他」 box: written in only by the few who ticked 「その他」.
    Other { filled_per_mille: u32 },
}

#[derive(Debug)]
pub(super) struct QuestionSpec {
    pub(super) column: &'static str,
    pub(super) scheme: &'static str,
    pub(super) asked: Asked,
    pub(super) style: Style,
    /// Categories with their relative weights.
    pub(super) categories: &'static [(u32, &'static Category)],
}

pub(super) static QUESTIONS: [QuestionSpec; 9] = [
    QuestionSpec {
        column: "Q6-1",
        scheme: "site-needs",
        asked: Asked::Everyone,
        style: Style::Main,
        categories: &[
            (24, &INCIDENT_CASES),
            (26, &EDUCATION),
            (26, &TOOLS_TEMPLATES),
            (14, &PEER_EXAMPLES),
            (10, &SITE_SUBSIDIES),
        ],
    },
    QuestionSpec {
        column: "Q7-2",
        scheme: "site-needs",
        asked: Asked::Everyone,
        style: Style::Main,
        categories: &[
            (22, &INCIDENT_CASES),
            (24, &EDUCATION),
            (28, &TOOLS_TEMPLATES),
            (12, &PEER_EXAMPLES),
            (6, &SITE_SUBSIDIES),
            (8, &SITE_USABILITY),
        ],
    },
    QuestionSpec {
        column: "Q10-1",
        scheme: "effect-examples",
        asked: Asked::EffectChosen,
        style: Style::Main,
        categories: &[
            (38, &AWARENESS),
            (27, &INCIDENT_REDUCTION),
            (15, &TRUST),
            (12, &RULES),
            (8, &EFFECT_SUBSIDIES),
        ],
    },
    QuestionSpec {
        column: "Q9",
        scheme: "motivation-other",
        asked: Asked::Everyone,
        style: Style::Other {
            filled_per_mille: 35,
        },
        categories: &[(45, &MOTIVATION_NEED), (55, &MOTIVATION_BUSINESS)],
    },
    QuestionSpec {
        column: "Q10",
        scheme: "effects-other",
        asked: Asked::Everyone,
        style: Style::Other {
            filled_per_mille: 25,
        },
        categories: &[
            (30, &OTHER_TRUST_AWARENESS),
            (20, &OTHER_INFO_GATHERING),
            (15, &OTHER_SUBSIDIES),
            (35, &OTHER_UNCLEAR),
        ],
    },
    QuestionSpec {
        column: "Q12",
        scheme: "scheme-issues",
        asked: Asked::Everyone,
        style: Style::Other {
            filled_per_mille: 40,
        },
        categories: &[
            (25, &COST_EFFECT),
            (25, &IMPLEMENTATION),
            (20, &INFO_SHORTAGE),
            (30, &SCHEME_IMPROVEMENT),
        ],
    },
    QuestionSpec {
        column: "Q13-1",
        scheme: "stepup-barriers",
        asked: Asked::OneStar,
        style: Style::Other {
            filled_per_mille: 35,
        },
        categories: &[(45, &STAFFING_BUSY), (30, &NECESSITY), (25, &DISCLOSURE)],
    },
    QuestionSpec {
        column: "Q14",
        scheme: "obstacles",
        asked: Asked::Everyone,
        style: Style::Other {
            filled_per_mille: 40,
        },
        categories: &[
            (40, &STAFFING_KNOWLEDGE),
            (35, &COST_EFFORT),
            (25, &RISK_AWARENESS),
        ],
    },
    QuestionSpec {
        column: "Q15",
        scheme: "support-wanted",
        asked: Asked::Everyone,
        style: Style::Other {
            filled_per_mille: 30,
        },
        categories: &[
            (35, &SUPPORT_EDUCATION),
            (40, &SUPPORT_INFORMATION),
            (25, &SUPPORT_SEMINARS),
        ],
    },
];

/// What respondents type when they have nothing to say, with relative frequencies.
pub(super) const NON_ANSWERS: [(u32, &str); 30] = [
    (30, "特になし"),
    (15, "なし"),
    (6, "特に無し"),
    (4, "ない"),
    (5, "わからない"),
    (2, "分からない"),
    (4, "-"),
    (3, "ー"),
    (6, "特にありません"),
    (5, "特にない"),
    (2, "とくになし"),
    (3, "無し"),
    (4, "特になし。"),
    (2, "なし。"),
    (3, "特にありません。"),
    (3, "今のところ特になし"),
    (3, "特に思いつかない"),
    (2, "思いつきません"),
    (1, "－"),
    (1, "―"),
    (2, "ありません"),
    (1, "不明"),
    (1, "特になし（現状で満足している）"),
    (1, "N/A"),
    (1, "ナシ"),
    (1, "特に無いです"),
    (1, "現在のところありません"),
    (1, "・"),
    (1, "特になし　"),
    (1, "ＮＯ"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pool_is_usable() {
        for spec in &QUESTIONS {
            assert!(!spec.categories.is_empty(), "{}", spec.column);
            for (weight, category) in spec.categories {
                assert!(*weight > 0);
                assert!(!category.parts.is_empty(), "{}", category.id);
                for part in category.parts {
                    assert!(!part.phrases.is_empty(), "{}", category.id);
                    assert!(!part.frames.is_empty(), "{}", category.id);
                    assert!(
                        part.frames
                            .iter()
                            .all(|frame| frame.matches("{}").count() == 1),
                        "{}",
                        category.id
                    );
                    if part.listable {
                        assert!(part.phrases.len() >= 3, "{}", category.id);
                    }
                }
            }
        }
    }

    #[test]
    fn survey_counts_add_up() {
        let total = |table: &[(&str, u32)]| table.iter().map(|(_, n)| *n as usize).sum::<usize>();
        assert_eq!(total(&INDUSTRIES), SURVEY_RESPONDENTS);
        assert_eq!(total(&EMPLOYEE_COUNTS), SURVEY_RESPONDENTS);
        assert_eq!(total(&STAGES), SURVEY_RESPONDENTS);
        assert_eq!(STAGES[0].0, ONE_STAR);
    }
}
