"""Every sft row goes through TRL's data preparation with two chat templates of different families, rendered by a
tokenizer built here (no download): a Qwen2.5-style template that writes each call's arguments with ``tojson`` and
a template that iterates the arguments' items. The rendered text must hold each tool call's arguments as a JSON
object exactly once: not double-encoded as a string, not missing, not padded with other calls' keys."""

import json
import re

import pytest
from datasets import load_dataset
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import PreTrainedTokenizerFast
from trl.data_utils import apply_chat_template, is_conversational

# Written for this test in the style of Qwen2.5's template: tools listed as JSON in the system turn, each call as
# {"name": ..., "arguments": <arguments | tojson>} inside <tool_call> tags, tool results as <tool_response>.
QWEN_STYLE = """
{%- if tools %}<|im_start|>system
{% if messages[0].role == 'system' %}{{ messages[0].content }}{% endif %}
# Tools
<tools>
{% for tool in tools %}{{ tool | tojson }}
{% endfor %}</tools><|im_end|>
{% elif messages[0].role == 'system' %}<|im_start|>system
{{ messages[0].content }}<|im_end|>
{% endif %}
{%- for message in messages %}
{%- if message.role == 'system' %}
{%- elif message.role == 'assistant' %}<|im_start|>assistant
{% if message.content %}{{ message.content }}{% endif %}
{%- for tool_call in message.tool_calls or [] %}
{%- if tool_call.function is defined %}{% set tool_call = tool_call.function %}{% endif %}
<tool_call>
{"name": "{{ tool_call.name }}", "arguments": {{ tool_call.arguments | tojson }}}
</tool_call>
{%- endfor %}<|im_end|>
{% elif message.role == 'tool' %}<|im_start|>user
<tool_response>
{{ message.content }}
</tool_response><|im_end|>
{% else %}<|im_start|>{{ message.role }}
{{ message.content }}<|im_end|>
{% endif %}
{%- endfor %}
"""

# A different family: calls are written argument by argument (iterating the arguments mapping), as templates that
# render parameters one at a time do; a string in place of the mapping cannot be iterated and fails.
ITERATING = """
{%- if tools %}[TOOLS]{% for tool in tools %}{{ tool.function.name }};{% endfor %}[/TOOLS]
{% endif %}
{%- for message in messages %}
{%- if message.role == 'assistant' %}[ASSISTANT]
{% if message.content %}{{ message.content }}{% endif %}
{%- for call in message.tool_calls or [] %}
[CALL] {{ call.function.name }} {
{%- for key, value in call.function.arguments.items() %}"{{ key }}": {{ value | tojson }}{% if not loop.last %}, {% endif %}{% endfor -%}
}
{%- endfor %}[/ASSISTANT]
{% elif message.role == 'tool' %}[RESULT id={{ message.tool_call_id }}]{{ message.content }}[/RESULT]
{% else %}[{{ message.role | upper }}]{{ message.content }}[/{{ message.role | upper }}]
{% endif %}
{%- endfor %}
"""

TEMPLATES = {
    "qwen-style": (QWEN_STYLE, r"<\|im_start\|>assistant\n(.*?)<\|im_end\|>"),
    "iterating": (ITERATING, r"\[ASSISTANT\]\n(.*?)\[/ASSISTANT\]"),
}


def tiny_tokenizer(template: str, corpus: list) -> PreTrainedTokenizerFast:
    words = sorted({w for text in corpus for w in re.findall(r"\w+|[^\w\s]", text)})
    vocab = {"[UNK]": 0, "<|im_end|>": 1, **{w: i + 2 for i, w in enumerate(words)}}
    tokenizer = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", eos_token="<|im_end|>",
                                   pad_token="<|im_end|>")
    fast.chat_template = template
    return fast


@pytest.fixture(scope="module")
def sft(export):
    return load_dataset("parquet", data_dir=str(export.root("sft")), split="train")


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_sft_row_renders_each_tool_call_arguments_once_as_json(sft, name):
    template, assistant_block = TEMPLATES[name]
    corpus = [json.dumps(row["messages"], default=str) + json.dumps(row["tools"]) for row in sft]
    tokenizer = tiny_tokenizer(template, corpus)
    rows_with_calls = 0
    for row in sft:
        assert is_conversational(row)
        text = apply_chat_template({"messages": row["messages"]}, tokenizer, tools=row["tools"])["text"]
        assert tokenizer(text)["input_ids"], "the rendered row tokenizes"
        blocks = re.findall(assistant_block, text, flags=re.S)
        assistants = [m for m in row["messages"] if m["role"] == "assistant"]
        assert len(blocks) == len(assistants)
        assert text.rstrip().endswith(("<|im_end|>", "[/ASSISTANT]")), "the row ends on the assistant turn"
        for block, message in zip(blocks, assistants):
            if message["content"]:
                assert message["content"] in block
            calls = message["tool_calls"] or []
            rows_with_calls += bool(calls)
            for call in calls:
                arguments = call["function"]["arguments"]
                assert isinstance(arguments, dict), "arguments reach the template as an object"
                as_object = json.dumps(arguments, ensure_ascii=False)
                same = sum(c["function"]["arguments"] == arguments for c in calls)
                assert block.count(as_object) == same, (name, as_object, block)
                assert json.dumps(as_object)[1:-1] not in block.replace(as_object, ""), "double-encoded"
    assert rows_with_calls > 0, "no tool-calling sft row was rendered"
