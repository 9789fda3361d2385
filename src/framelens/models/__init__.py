"""Trained models: the small encoder runtime and the models framelens ships.

This subpackage owns everything that runs a neural model. Nothing in it imports PyTorch:
models run as ONNX graphs with :mod:`onnxruntime`, their input is made with the
Hugging Face :mod:`tokenizers` library, and every file they need ships inside the package
(nothing is downloaded at run time).

``framelens.models.runtime``
    :class:`~framelens.models.runtime.OnnxModel`: load an ONNX classifier or encoder with
    its tokenizer and manifest, check its files, encode text in length-sorted batches and
    return class probabilities or embeddings.
``framelens.models.tone``
    the target-sentiment (tone) model: mark the target in its sentence and score the
    tone toward it; :func:`~framelens.models.tone.load_tone_model` loads the shipped model
    or a user's own with the same interface.
``framelens.models.encoder``
    the shipped sentence encoder (all-MiniLM-L6-v2, int8): texts to embeddings.
``framelens.models.frames``
    learned frames: per-frame classifiers fitted on a coded sample with scikit-learn
    (:func:`~framelens.models.frames.learn_frames`), stored as plain numbers and applied
    with numpy (:func:`~framelens.models.frames.apply_frames`), and the choice of the
    next units to code (:func:`~framelens.models.frames.uncertain_units`).

The training code lives outside the package, in ``training/`` (the ``[train]`` extra).
"""
