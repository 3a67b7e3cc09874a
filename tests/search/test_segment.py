"""Segmentation: one tokenizer, dictionary and synonym table at both ends."""

from search.segment import MAX_QUERY_TOKENS, query_tokens, segment, surface_forms, tokens


def test_domain_words_stay_whole_at_both_ends():
    assert "考前焦虑" in tokens("高三考前焦虑心理调适")
    assert query_tokens("考前焦虑") == ["考前焦虑"]
    assert "心理健康活动课" in tokens("一节心理健康活动课")


def test_every_query_token_is_among_the_index_tokens_of_the_same_text():
    for text in ["初中青春期教案", "情绪管理主题班会", "中职生职业生涯规划", "ABC情绪模型", "10·10世界精神卫生日"]:
        assert set(query_tokens(text)) <= set(tokens(text)), text


def test_synonyms_become_one_word_on_both_sides():
    # 心理课 ~ 心理健康活动课; 班会 ~ 主题班会 ~ 班团队会 (dictionary/synonyms.txt)
    assert query_tokens("心理课") == ["心理健康活动课"]
    assert "心理健康活动课" in tokens("一节心理课")
    assert query_tokens("班会") == query_tokens("主题班团队会") == query_tokens("班团队会") == ["主题班会"]
    assert "主题班会" in surface_forms("班会") and "班团队会" in surface_forms("班会")


def test_mixed_chinese_english_and_numbers():
    assert query_tokens("ABC 情绪模型") == ["abc", "情绪模型"]
    assert "abc" in tokens("ABC情绪模型：换个想法")
    for written in ("10·10", "10.10", "10・10", "１０·１０"):
        assert query_tokens(written) == ["10.10"], written
    assert "10.10" in tokens("“10·10世界精神卫生日”宣传")


def test_punctuation_emoji_and_query_syntax_give_no_tokens():
    assert query_tokens("！？。，、") == []
    assert query_tokens("😀🎉") == []
    assert query_tokens('" OR 1=1; -- & | ! ( ) :*') == ["or", "1"]
    assert query_tokens("a&b|c!(d):* 'e'") == ["a", "b", "c", "d", "e"]


def test_a_long_query_is_bounded():
    assert len(query_tokens("情绪管理" * 500)) <= MAX_QUERY_TOKENS
    assert (
        len(query_tokens("情绪 管理 人际 交往 学习 心理 生涯 规划 生命 教育 青春期 危机 家庭 预防 自我"))
        == MAX_QUERY_TOKENS
    )


def test_segment_is_space_separated_tokens():
    assert segment("情绪管理教案") == " ".join(tokens("情绪管理教案"))
    assert "  " not in segment("情绪，，管理   教案！")
