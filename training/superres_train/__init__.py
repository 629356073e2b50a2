"""Training for SuperRes's own super-resolution models (PyTorch, CPU), exported to ONNX.

Kept apart from the C# library, CLI and service: they only ever see the exported .onnx file.
"""
