"""Regenerates survey.xlsx, the workbook tests/it/input.rs reads.

The workbook is committed; run this only to change it:
    python3 -m venv /tmp/xl && /tmp/xl/bin/pip install openpyxl
    /tmp/xl/bin/python tests/data/input/make_xlsx.py
"""

import datetime
import pathlib

from openpyxl import Workbook

HERE = pathlib.Path(__file__).parent

book = Workbook()

# First sheet: the wide export of an IT-support survey, one row per respondent.
wide = book.active
wide.title = "回答"
wide.append(["回答者ID", "業種", "従業員数", "取組段階", "Q6-1", "Q7-2", "Q10-1"])
wide.append(["R0001", "製造業", 50, "検討中",
             "IT導入補助金の申請手続きが複雑でわかりにくい", None,
             "セキュリティ研修を受けたい"])
wide.append(["R0002", "卸売業", 120, "実施中", "", "社内に詳しい人材がいない",
             "一行目の回答\n二行目の回答"])
wide.append(["R0003", "サービス業", 8, "未着手", "   ", "費用対効果が見えない 😅", None])

# Second sheet: a long export with a date and a non-integer number.
long = book.create_sheet("長形式")
long.append(["id", "question", "text", "回答日", "評価"])
long.append([101, "Q6-1", "クラウド会計を導入した", datetime.datetime(2024, 5, 1), 3.5])
long.append([102, "Q6-1", "ＳＥＣＵＲＩＴＹ ＡＣＴＩＯＮの二つ星を宣言", datetime.datetime(2024, 5, 2, 9, 30), 4])

# Third sheet: a wide export whose third row lost its respondent id.
broken = book.create_sheet("欠損")
broken.append(["回答者ID", "業種", "Q6-1"])
broken.append(["R0001", "製造業", "回答あり"])
broken.append([None, "建設業", "IDのない回答"])

book.save(HERE / "survey.xlsx")
