"""Attribution: reporting verbs, "according to", reports as sources, pronouns, quotations."""

from __future__ import annotations


def _src(ctx, needle: str):
    from sitrep.extract.attribution import source_at

    return source_at(ctx, ctx.document.text.index(needle))


def _name(ctx, src) -> str:
    assert src is not None and src.key is not None, src
    return ctx.entities[src.key].name


def test_said_gives_the_subject(attributed) -> None:
    ctx = attributed("Hassan Nasrallah said the fighting would spread to Syria.")
    assert "Nasrallah" in _name(ctx, _src(ctx, "fighting"))


def test_inverted_said_and_told(attributed) -> None:
    ctx = attributed('"We will not stop," said Yahya Saree. Ali Dhere told reporters the truce was over.')
    assert "Saree" in _name(ctx, _src(ctx, "We will"))
    assert "Dhere" in _name(ctx, _src(ctx, "truce"))


def test_according_to(attributed) -> None:
    ctx = attributed("Al-Shabaab controls the port, according to the United Nations.")
    assert _name(ctx, _src(ctx, "controls")) == "United Nations"


def test_report_is_its_organisation(attributed) -> None:
    ctx = attributed(
        "Published this week, a United Nations Security Council report describes the situation. "
        "The report says Al-Shabaab is recruiting in Kenya."
    )
    assert "Security Council" in _name(ctx, _src(ctx, "describes"))
    assert "Security Council" in _name(ctx, _src(ctx, "recruiting"))


def test_pronoun_continues_the_last_speaker(attributed) -> None:
    ctx = attributed("Hassan Nasrallah said the war was coming. He added that Hezbollah was ready.")
    assert "Nasrallah" in _name(ctx, _src(ctx, "was ready"))


def test_quotation_across_sentences(attributed) -> None:
    text = (
        'Yahya Saree said: "The blockade will continue. Ships will be stopped.\n\n'
        '"Nobody can stop us."\n\nThe weather was mild.'
    )
    ctx = attributed(text)
    for needle in ("blockade", "Ships will", "Nobody"):
        assert "Saree" in _name(ctx, _src(ctx, needle))
    assert _src(ctx, "weather") is None


def test_quote_before_its_attribution(attributed) -> None:
    ctx = attributed('"The time has come. We must act now," said Yahya Saree, the Houthi spokesman.')
    assert "Saree" in _name(ctx, _src(ctx, "time has come"))


def test_no_cue_means_the_outlet(attributed) -> None:
    ctx = attributed("Al-Shabaab attacked a base near Mogadishu on Monday.")
    assert _src(ctx, "attacked") is None


def test_source_at_out_of_range(attributed) -> None:
    from sitrep.extract.attribution import source_at

    ctx = attributed("Short text.")
    assert source_at(ctx, 10_000) is None
    assert source_at(ctx, -5) is None
