"""The category model on a few made-up suggestions per category."""

from __future__ import annotations

import pickle
import zlib

import numpy as np
import pytest

from xieshang.textkit.classify import (
    CategoryModel,
    Corpus,
    Guess,
    ModelFormatError,
    Settings,
    suggestion_text,
)
from xieshang.textkit.hints import confidence_level, department_votes
from xieshang.textkit.segment import Segmenter

EXAMPLES: dict[str, list[tuple[str, str]]] = {
    "城乡建设": [
        ("小区物业乱收费", "物业公司每月多收物业费，业主多次反映没有结果。"),
        ("老旧小区加装电梯", "我们小区是老旧小区，老人上下楼困难，希望加装电梯。"),
        ("小区违章搭建", "一楼业主在小区绿地上违章搭建房屋，城管不管。"),
        ("楼盘延期交房", "开发商承诺去年交房，至今没有交房，购房者很着急。"),
        ("路灯不亮", "小区门口的路灯坏了很久，晚上出行很不安全。"),
        ("自来水停水", "小区经常停水，自来水压力不足，生活受影响。"),
        ("燃气管道改造", "小区燃气管道老化，希望尽快改造燃气管道。"),
    ],
    "环境保护": [
        ("工厂排放废气", "附近化工厂夜间排放刺鼻废气，空气污染严重。"),
        ("河道污染", "河里漂满垃圾，污水直排河道，水质发黑发臭。"),
        ("工地噪音扰民", "工地夜间施工噪音很大，严重影响居民休息。"),
        ("垃圾焚烧污染", "有人露天焚烧垃圾，浓烟污染空气。"),
        ("养猪场污染", "养猪场粪便直排，臭气熏天，污染环境。"),
        ("餐馆油烟扰民", "楼下餐馆油烟直排，污染环境，没有油烟净化器。"),
    ],
    "交通运输": [
        ("公交线路调整", "希望增加公交线路，公交车班次太少，等车时间长。"),
        ("出租车拒载", "出租车司机经常拒载，还不打表乱收费。"),
        ("道路拥堵", "上下班高峰道路严重拥堵，希望优化红绿灯和交通管理。"),
        ("网约车管理", "网约车营运不规范，希望交通部门加强管理。"),
        ("高速公路收费", "高速公路收费站排队太长，希望增加收费通道。"),
        ("地铁站公交接驳", "地铁站附近没有公交站，换乘很不方便。"),
    ],
    "教育文体": [
        ("学校乱收费", "学校违规收取补课费和资料费，家长负担重。"),
        ("幼儿园入学难", "小区配套幼儿园迟迟不开办，孩子入园难。"),
        ("教师待遇问题", "乡村教师工资待遇低，希望提高教师待遇。"),
        ("学生课业负担重", "小学生作业太多，每天写到深夜，希望减负。"),
        ("体育场馆开放", "希望学校体育场馆在周末向居民开放。"),
        ("图书馆开放时间", "市图书馆开放时间太短，希望延长开放时间。"),
    ],
    "劳动和社会保障": [
        ("公司拖欠工资", "公司拖欠员工三个月工资，老板拒不支付。"),
        ("社保缴费问题", "单位不给员工缴纳社保，养老保险断缴。"),
        ("养老金调整", "退休人员养老金太低，希望调整养老金。"),
        ("劳动合同纠纷", "公司不签劳动合同，辞退员工没有经济补偿。"),
        ("失业保险金领取", "失业后申请失业保险金，手续繁琐。"),
        ("农民工讨薪", "工地拖欠农民工工资，年底讨薪无门。"),
    ],
    "商贸旅游": [
        ("景区门票涨价", "景区门票大幅涨价，游客意见很大。"),
        ("超市销售过期食品", "超市销售过期食品，消费者投诉无人处理。"),
        ("旅行社强制购物", "旅行社导游强制游客购物，不买就甩团。"),
        ("商家虚假宣传", "商家虚假宣传打折促销，价格欺诈消费者。"),
        ("菜市场价格", "菜市场商贩缺斤短两，物价监管不到位。"),
        ("预付卡跑路", "健身房办了预付卡，商家突然关门跑路。"),
    ],
    "卫生计生": [
        ("医院挂号难", "医院挂号排队时间太长，看病难。"),
        ("医生收受红包", "医院医生收受病人红包，医德败坏。"),
        ("计划生育政策", "二孩政策下的生育服务证办理问题。"),
        ("药品价格过高", "医院药品价格远高于药店，患者负担重。"),
        ("疫苗接种", "社区卫生服务中心疫苗接种预约困难。"),
        ("医疗保险报销", "住院医疗费用报销比例低，手续繁琐。"),
    ],
}
TEXTS = [suggestion_text(t, b) for rows in EXAMPLES.values() for t, b in rows]
LABELS = [label for label, rows in EXAMPLES.items() for _ in rows]


@pytest.fixture(scope="module")
def model() -> CategoryModel:
    return CategoryModel.train(TEXTS, LABELS)


def test_suggestion_text_puts_the_title_on_the_first_line() -> None:
    assert suggestion_text(" 路灯\n不亮 ", " 晚上很黑。\n") == "路灯 不亮\n晚上很黑。"
    assert suggestion_text("路灯不亮", "  ") == "路灯不亮"


def test_it_knows_its_labels_sorted(model: CategoryModel) -> None:
    assert model.labels == sorted(EXAMPLES)
    model.labels.append("x")
    assert "x" not in model.labels


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("小区物业费太高", "物业公司乱收费，业主不满。", "城乡建设"),
        ("化工厂废气污染", "工厂排放废气，空气很差。", "环境保护"),
        ("公交车太少", "希望增加公交班次。", "交通运输"),
        ("学校补课收费", "学校违规补课收费。", "教育文体"),
        ("老板拖欠工资", "公司拖欠工资半年。", "劳动和社会保障"),
        ("景区乱收费", "旅游景区门票太贵。", "商贸旅游"),
        ("看病挂号难", "医院排队挂号要半天。", "卫生计生"),
    ],
)
def test_the_right_category_comes_first(
    model: CategoryModel, title: str, body: str, expected: str
) -> None:
    assert model.top(suggestion_text(title, body))[0].label == expected


def test_traditional_characters_are_the_same_text(model: CategoryModel) -> None:
    assert model.top("醫院掛號難")[0].label == "卫生计生"


def test_guesses_are_sorted_probabilities(model: CategoryModel) -> None:
    guesses = model.top(suggestion_text("小区噪音", "工地施工噪音，物业不管。"), k=3)
    assert len(guesses) == 3
    assert all(isinstance(g, Guess) for g in guesses)
    confidences = [g.confidence for g in guesses]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert sum(confidences) <= 1.0 + 1e-9
    assert len({g.label for g in guesses}) == 3


def test_all_categories_sum_to_one(model: CategoryModel) -> None:
    guesses = model.top("医院", k=100)
    assert [g.label for g in guesses] != [] and len(guesses) == len(model.labels)
    assert sum(g.confidence for g in guesses) == pytest.approx(1.0)
    assert model.top("医院", k=0) == []


@pytest.mark.parametrize("text", ["", "   ", "\n", "!!!???", "xyzzy qwv", "🙂🙂"])
def test_empty_or_unknown_text_gets_no_guess(model: CategoryModel, text: str) -> None:
    assert model.top(text) == []


def test_top_many_is_top_for_each(model: CategoryModel) -> None:
    texts = ["公司拖欠工资", "", "景区门票", "xyzzy"]
    assert model.top_many(texts, k=2) == [model.top(t, k=2) for t in texts]
    assert model.top_many([]) == []


def test_it_round_trips_through_bytes(model: CategoryModel) -> None:
    data = model.dumps()
    assert isinstance(data, bytes)
    again = CategoryModel.loads(data)
    assert again.labels == model.labels
    for text in ["公司拖欠工资", "小区物业", "医院挂号", ""]:
        assert again.top(text) == model.top(text)


def test_a_user_word_survives_storing() -> None:
    seg = Segmenter(user_words=["港海社区"])
    trained = CategoryModel.train(TEXTS, LABELS, segmenter=seg)
    again = CategoryModel.loads(trained.dumps())
    assert again._segmenter.user_words == ("港海社区",)
    assert again.top("港海社区医院挂号") == trained.top("港海社区医院挂号")


def test_loads_refuses_other_bytes() -> None:
    with pytest.raises(ModelFormatError):
        CategoryModel.loads(b"not a model")
    with pytest.raises(ModelFormatError):
        CategoryModel.loads(b"xieshang-category\n" + b"garbage")


class _Evil:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        import os

        return (os.system, ("echo pwned",))


def test_loads_does_not_import_what_a_model_is_not_made_of(model: CategoryModel) -> None:
    data = b"xieshang-category\n" + zlib.compress(pickle.dumps({"format": 1, "x": _Evil()}))
    with pytest.raises(ModelFormatError, match="not part of a category model"):
        CategoryModel.loads(data)


def test_a_category_with_one_example_still_trains() -> None:
    trained = CategoryModel.train([*TEXTS, "宠物狗扰民"], [*LABELS, "其他"])
    assert "其他" in trained.labels
    assert trained.top("医院挂号难")[0].label == "卫生计生"


def test_training_needs_matching_labels_and_two_categories() -> None:
    with pytest.raises(ValueError, match="labels"):
        CategoryModel.train(TEXTS, LABELS[:-1])
    with pytest.raises(ValueError, match="two categories"):
        CategoryModel.train(TEXTS[:3], ["城乡建设"] * 3)


def _embeddings(labels: list[str], seed: int = 7) -> np.ndarray:
    """Made-up sentence embeddings: one direction per category, plus noise."""
    rng = np.random.default_rng(seed)
    names = sorted(set(LABELS))
    centres = rng.normal(size=(len(names), 512))
    vectors = centres[[names.index(label) for label in labels]] + rng.normal(
        scale=0.3, size=(len(labels), 512)
    )
    unit: np.ndarray = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    return unit


def test_the_embedding_model_is_mixed_in_by_its_weight() -> None:
    vectors = _embeddings(LABELS)
    trained = CategoryModel.train(
        Corpus(TEXTS, embeddings=vectors), LABELS, settings=Settings(embedding_weight=0.5)
    )
    assert trained.uses_embeddings
    text = suggestion_text("公交线路调整", "希望增加公交线路。")
    # An embedding that points at another category moves the mix, not the TF-IDF part.
    elsewhere = vectors[LABELS.index("卫生计生")]
    mixed = trained.top(text, k=7, embedding=elsewhere)
    alone = trained.reweighted(0.0).top(text, k=7)
    assert alone[0].label == "交通运输"
    assert {g.label: g.confidence for g in mixed}["卫生计生"] > {
        g.label: g.confidence for g in alone
    }["卫生计生"]
    assert abs(sum(g.confidence for g in mixed) - 1) < 1e-4
    again = CategoryModel.loads(trained.dumps())
    assert again.settings == trained.settings and again.uses_embeddings
    assert again.top(text, k=3, embedding=elsewhere) == trained.top(text, k=3, embedding=elsewhere)
    with pytest.raises(ValueError, match="without sentence embeddings"):
        CategoryModel.train(TEXTS, LABELS).reweighted(0.5)


def test_self_training_learns_from_the_unlabelled_texts_it_is_sure_of() -> None:
    unlabelled = ["公交车太挤希望增加公交班次", "医院看病挂号排队太久", "???"]
    plain = CategoryModel.train(
        TEXTS, LABELS, settings=Settings(unlabelled_vocabulary=False), unlabelled=unlabelled
    )
    trained = CategoryModel.train(
        TEXTS,
        LABELS,
        settings=Settings(self_training=0.0, unlabelled_vocabulary=True),
        unlabelled=unlabelled,
    )
    assert trained.settings.self_training == 0.0
    # The unlabelled words are part of the vocabulary now; without the setting they are not.
    assert trained.top("挤") and not plain.top("挤")


def test_a_model_of_the_first_format_is_still_read(model: CategoryModel) -> None:
    state = pickle.loads(zlib.decompress(model.dumps()[len(b"xieshang-category\n") :]))
    old = {k: state[k] for k in ("vectorizers", "classifier", "user_words", "stop_words")}
    old["format"] = 1
    data = b"xieshang-category\n" + zlib.compress(pickle.dumps(old))
    again = CategoryModel.loads(data)
    assert again.settings == Settings(unlabelled_vocabulary=False)
    assert not again.uses_embeddings
    assert again.top(TEXTS[0]) == model.top(TEXTS[0])


def test_confidence_words_and_department_votes() -> None:
    assert [confidence_level(p) for p in (0.95, 0.7, 0.69, 0.4, 0.39, 0.0)] == [
        "likely",
        "likely",
        "possible",
        "possible",
        "uncertain",
        "uncertain",
    ]
    ranked = department_votes(
        [(0.9, [(2, "交通局")]), (0.6, [(1, "城管局"), (2, "交通局")]), (0.6, [(3, "环保局")])],
        k=2,
    )
    assert [(key, name) for key, name, _share in ranked] == [(2, "交通局"), (1, "城管局")]
    assert abs(ranked[0][2] - 1.5 / 2.7) < 1e-9
    assert department_votes([]) == []
