"""Trained models: the small encoder runtime and the models framelens ships.

This subpackage owns everything that runs a neural model. Nothing in it imports PyTorch:
models run as ONNX graphs with :mod:`onnxruntime`, their input is made with the
Hugging Face :mod:`tokenizers` library, and every file they need ships inside the package
(nothing is downloaded at run time).

``framelens.models.runtime``
    :class:`~framelens.models.runtime.OnnxModel`: load an ONNX classifier with its
    tokenizer and manifest, check its files, encode text in length-sorted batches and
    return class probabilities.
``framelens.models.tone``
    the target-sentiment (tone) model: mark the target in its sentence and score the
    tone toward it; :func:`~framelens.models.tone.load_tone_model` loads the shipped model
    or a user's own with the same interface.

The training code lives outside the package, in ``training/`` (the ``[train]`` extra).
"""
