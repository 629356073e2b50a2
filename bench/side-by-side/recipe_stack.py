#!/usr/bin/env python3
"""The well-known recipe's stack: Python + OpenCV DNN (Debian's python3-opencv), model loaded once,
images upscaled one after another (read, upscale, write). Prints one JSON line with the timings.

usage: recipe_stack.py MODEL INPUT_DIR OUTPUT_DIR [--algorithm NAME --scale N]
  MODEL is an OpenCV zoo .pb (run with cv2.dnn_superres, as the recipe does) or an .onnx file
  (run with cv2.dnn: NCHW float RGB in [0, 1], the contract of SuperRes's converted models). OpenCV 4.6
  cannot import DepthToSpace with symbolic H and W, so an .onnx model is loaded once per input size with
  that size fixed (python3-onnx rewrites the input shape); those loads count in the timings.
"""
import argparse
import json
import os
import time

import cv2
import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("input_dir")
    p.add_argument("output_dir")
    p.add_argument("--algorithm")
    p.add_argument("--scale", type=int)
    a = p.parse_args()

    started = time.perf_counter()
    if a.model.endswith(".pb"):
        sr = cv2.dnn_superres.DnnSuperResImpl_create()
        sr.readModel(a.model)
        sr.setModel(a.algorithm, a.scale)
        run = sr.upsample
    else:
        import onnx

        model = onnx.load(a.model)
        nets = {}

        def net_for(h, w):
            if (h, w) not in nets:
                dims = model.graph.input[0].type.tensor_type.shape.dim
                dims[0].dim_value, dims[2].dim_value, dims[3].dim_value = 1, h, w
                nets[(h, w)] = cv2.dnn.readNetFromONNX(model.SerializeToString())
            return nets[(h, w)]

        def run(image):
            net = net_for(*image.shape[:2])
            blob = cv2.dnn.blobFromImage(image, 1.0 / 255, swapRB=True)
            net.setInput(blob)
            out = net.forward()[0]  # 3 x H x W, RGB
            return np.clip(out.transpose(1, 2, 0)[:, :, ::-1] * 255.0 + 0.5, 0, 255).astype(np.uint8)
    loaded = time.perf_counter()

    os.makedirs(a.output_dir, exist_ok=True)
    names = sorted(n for n in os.listdir(a.input_dir) if n.lower().endswith((".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff")))
    per_image = []
    for name in names:
        t = time.perf_counter()
        image = cv2.imread(os.path.join(a.input_dir, name))
        result = run(image)
        cv2.imwrite(os.path.join(a.output_dir, os.path.splitext(name)[0] + ".png"), result)
        per_image.append(time.perf_counter() - t)
    print(json.dumps({
        "opencv": cv2.__version__,
        "threads": cv2.getNumThreads(),
        "load_seconds": loaded - started,
        "images": len(names),
        "seconds_per_image": sum(per_image) / max(1, len(per_image)),
        "total_seconds": time.perf_counter() - started,
    }))


if __name__ == "__main__":
    main()
