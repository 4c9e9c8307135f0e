"""Write sklearn-nb.json: scikit-learn Naive Bayes reference values for wordmill's tests.

A small hand-written corpus (18 training documents in 3 unbalanced classes, 6 test
documents) exercising the default tokenizer (case, punctuation, one-letter words, digits,
underscores, apostrophes, hyphens, accented Latin, Hangul, emoji, unseen words) is vectorized
with CountVectorizer / TfidfVectorizer (fit on train only) and fed to MultinomialNB,
ComplementNB and BernoulliNB under several settings. For each case the fixture records the
vocabulary, the fitted counts and log probabilities, and the test-set joint log
likelihoods, log probabilities and predictions, as full-precision floats.

Usage (from the repository root):
    python3 -m venv bench/.venv-sklearn && bench/.venv-sklearn/bin/pip install scikit-learn
    bench/.venv-sklearn/bin/python Tests/Fixtures/naive-bayes/make_fixture.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.naive_bayes import BernoulliNB, ComplementNB, MultinomialNB

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sklearn-nb.json")

TRAIN = [
    ("sports", "The team won the match 3-1 on Saturday!"),
    ("sports", "Our goalkeeper didn't concede a goal in 2024."),
    ("sports", "Tennis: Nadal vs. Federer, a classic rivalry."),
    ("sports", "The marathon runner's pace: 3:05 per kilometre."),
    ("sports", "Football fans in Café Ærø cheered the late goal ⚽"),
    ("sports", "The coach said: don't give up, keep running!"),
    ("sports", "축구 경기는 정말 재미있어요, the team played well"),
    ("sports", "A well-known striker scored the winning goal in extra-time."),
    ("cooking", "Simmer the tomato sauce for 20 minutes, then add basil."),
    ("cooking", "The chef's naïve crème brûlée recipe uses 4 eggs."),
    ("cooking", "음식이 맛있어요 — the kimchi stew was spicy 🌶️"),
    ("cooking", "Bake the bread at 220 degrees until golden-brown."),
    ("cooking", "Don't over-salt the SOUP; taste it first."),
    ("cooking", "Café au lait and a croissant: the perfect breakfast."),
    ("tech", "Compile the kernel for x86_64 with GCC 13."),
    ("tech", "The new GPU doesn't support CUDA 12 yet 🤖"),
    ("tech", "Python's asyncio makes I/O-bound code faster."),
    ("tech", "Install the x86_64 build of the app in 2024."),
]
TEST = [
    ("sports", "The striker scored again in the final minute!"),
    ("cooking", "Add garlic and simmer the sauce: délicieux."),
    ("tech", "Upgrade the GPU driver on x86_64 machines."),
    ("cooking", "맛있어요! ÆRØ café serves naïve soup 🍲"),
    ("tech", "Blockchain quantum widgets"),  # no word seen in training
    ("sports", "I don't know, y'all: 2024's playoffs 🏀"),
]

VECTORIZER = {"ngram_range": [1, 1], "binary": False, "weighting": "counts",
              "min_df": 1, "max_df": 1.0, "max_features": None}
CASES = [
    ("multinomial", "multinomial", {"alpha": 1.0}, {}),
    ("multinomial-alpha0.5-uniform-prior", "multinomial", {"alpha": 0.5, "fit_prior": False}, {}),
    ("multinomial-class-prior", "multinomial", {"class_prior": [0.5, 0.3, 0.2]}, {}),
    ("complement", "complement", {"alpha": 1.0, "norm": False}, {}),
    ("complement-norm", "complement", {"alpha": 1.0, "norm": True}, {}),
    ("bernoulli", "bernoulli", {"alpha": 1.0}, {}),
    ("bernoulli-alpha0.3", "bernoulli", {"alpha": 0.3}, {}),
    ("multinomial-tfidf", "multinomial", {}, {"weighting": "tfidf"}),
    ("multinomial-bigrams-binary", "multinomial", {}, {"ngram_range": [1, 2], "binary": True}),
    ("multinomial-min-df2-max-df0.5", "multinomial", {}, {"min_df": 2, "max_df": 0.5}),
    ("multinomial-max-features10", "multinomial", {}, {"max_features": 10}),
]
MODELS = {"multinomial": MultinomialNB, "complement": ComplementNB, "bernoulli": BernoulliNB}


def run_case(name, variant, params, vec_overrides):
    params = {"alpha": 1.0, "fit_prior": True, "class_prior": None, **params}
    vec = {**VECTORIZER, **vec_overrides}
    cls = TfidfVectorizer if vec["weighting"] == "tfidf" else CountVectorizer
    vectorizer = cls(ngram_range=tuple(vec["ngram_range"]), binary=vec["binary"], min_df=vec["min_df"],
                     max_df=vec["max_df"], max_features=vec["max_features"])
    x_train = vectorizer.fit_transform([t for _, t in TRAIN])
    x_test = vectorizer.transform([t for _, t in TEST])
    if vec["max_features"] is not None:  # sklearn breaks frequency ties arbitrarily: avoid one at the cut
        full = CountVectorizer(ngram_range=tuple(vec["ngram_range"])).fit_transform([t for _, t in TRAIN])
        totals = sorted(np.asarray(full.sum(axis=0)).ravel(), reverse=True)
        assert totals[vec["max_features"] - 1] != totals[vec["max_features"]], "tie at max_features"
    clf = MODELS[variant](**params).fit(x_train, [label for label, _ in TRAIN])
    return {
        "name": name, "variant": variant, **params, "vectorizer": vec,
        "classes": clf.classes_.tolist(),
        "features": vectorizer.get_feature_names_out().tolist(),
        "class_count": clf.class_count_.tolist(),
        "feature_count": clf.feature_count_.tolist(),
        "class_log_prior": clf.class_log_prior_.tolist(),
        "feature_log_prob": clf.feature_log_prob_.tolist(),
        "test_joint_log_likelihood": clf.predict_joint_log_proba(x_test).tolist(),
        "test_log_proba": clf.predict_log_proba(x_test).tolist(),
        "test_predictions": clf.predict(x_test).tolist(),
    }


def main():
    fixture = {
        "sklearn_version": sklearn.__version__, "numpy_version": np.__version__,
        "train": [{"label": label, "text": text} for label, text in TRAIN],
        "test": [{"label": label, "text": text} for label, text in TEST],
        "cases": [run_case(*case) for case in CASES],
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(fixture, f, indent=2, ensure_ascii=False, allow_nan=False)
        f.write("\n")
    for case in fixture["cases"]:
        print(f'{case["name"]}: {len(case["features"])} features, predictions {case["test_predictions"]}')


if __name__ == "__main__":
    main()
