"""A true/false question's answer is chosen with two radio buttons and
stored as a boolean, as the checkbox before it stored it."""

import pytest
from django.core.exceptions import ValidationError

from courses.blocks import TrueFalseQuestionBlock


def test_the_editor_offers_true_and_false_as_radio_buttons():
    block = TrueFalseQuestionBlock()
    field = block.child_blocks["answer"].field
    assert field.widget.input_type == "radio"
    assert [str(label) for _value, label in field.choices] == ["True", "False"]
    assert str(block.child_blocks["answer"].label) == "The statement is"


@pytest.mark.parametrize("posted, stored", [("True", True), ("False", False)])
def test_the_choice_is_stored_as_a_boolean(posted, stored):
    block = TrueFalseQuestionBlock()
    value = block.clean(
        block.to_python(
            {"prompt": "Git is distributed.", "answer": posted, "points": "1"}
        )
    )
    assert value["answer"] is stored
    assert block.get_prep_value(value)["answer"] is stored


def test_no_choice_is_refused_with_a_clear_message():
    block = TrueFalseQuestionBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(
            block.to_python(
                {"prompt": "Git is distributed.", "answer": None, "points": "1"}
            )
        )
    assert "Choose whether the statement is true." in str(error.value.block_errors)


def test_questions_stored_by_the_checkbox_still_read_the_same():
    block = TrueFalseQuestionBlock()
    for stored in (True, False):
        value = block.to_python({"prompt": "P", "answer": stored, "points": "1"})
        assert value["answer"] is stored
