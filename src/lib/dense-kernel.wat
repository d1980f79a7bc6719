;; The Dense layer of `dense.ts` as WebAssembly with 128-bit SIMD: y = x · kernel + bias, then
;; ReLU or the logistic sigmoid on request. All arrays are f32, row-major, at byte offsets in the exported memory; the
;; caller (`DenseStack`) lays them out once. Like the JavaScript loop, it first gathers the non-zero
;; inputs (after a ReLU about half are zero; an MNIST digit's pixels mostly are), then walks their
;; kernel rows four at a time, four outputs per f32x4 vector, so each output vector is loaded and
;; stored once per sixteen multiply-adds. Needs outDim to be a multiple of 4 (the caller checks).
;;
;; Regenerate the bytes in dense-kernel.ts with
;;   wat2wasm src/lib/dense-kernel.wat -o - | base64 -w0
;; (Debian package wabt; needed only to change this file).
(module
  (memory (export "memory") 1)

  ;; affine(x, inDim, kernel, bias, y, outDim, act, vals, offs)
  ;; act: 0 none, 1 ReLU, 2 sigmoid. vals: inDim f32 of scratch, offs: inDim i32 of scratch.
  (func (export "affine")
    (param $x i32) (param $inDim i32) (param $k i32) (param $b i32) (param $y i32)
    (param $outDim i32) (param $act i32) (param $vals i32) (param $offs i32)
    (local $i i32) (local $m i32) (local $v f32) (local $rowBytes i32) (local $j i32)
    (local $end i32) (local $q i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $k0 i32) (local $k1 i32) (local $k2 i32) (local $k3 i32)
    (local $acc v128)

    (local.set $rowBytes (i32.shl (local.get $outDim) (i32.const 2)))
    (local.set $end (local.get $rowBytes))

    ;; y = bias
    (local.set $j (i32.const 0))
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (v128.store (i32.add (local.get $y) (local.get $j))
          (v128.load (i32.add (local.get $b) (local.get $j))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $copy)))

    ;; gather the non-zero inputs and their kernel rows
    (local.set $i (i32.const 0))
    (local.set $m (i32.const 0))
    (block $done
      (loop $gather
        (br_if $done (i32.ge_u (local.get $i) (local.get $inDim)))
        (local.set $v (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
        (if (f32.ne (local.get $v) (f32.const 0))
          (then
            (f32.store (i32.add (local.get $vals) (i32.shl (local.get $m) (i32.const 2))) (local.get $v))
            (i32.store (i32.add (local.get $offs) (i32.shl (local.get $m) (i32.const 2)))
              (i32.add (local.get $k) (i32.mul (local.get $i) (local.get $rowBytes))))
            (local.set $m (i32.add (local.get $m) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $gather)))

    ;; four kernel rows at a time: y += v0·k0 + v1·k1 + v2·k2 + v3·k3 (left to right, as in JS)
    (local.set $q (i32.const 0))
    (block $done4
      (loop $rows4
        (br_if $done4 (i32.gt_s (i32.add (local.get $q) (i32.const 4)) (local.get $m)))
        (local.set $v0 (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $q) (i32.const 2))))))
        (local.set $v1 (f32x4.splat (f32.load offset=4 (i32.add (local.get $vals) (i32.shl (local.get $q) (i32.const 2))))))
        (local.set $v2 (f32x4.splat (f32.load offset=8 (i32.add (local.get $vals) (i32.shl (local.get $q) (i32.const 2))))))
        (local.set $v3 (f32x4.splat (f32.load offset=12 (i32.add (local.get $vals) (i32.shl (local.get $q) (i32.const 2))))))
        (local.set $k0 (i32.load (i32.add (local.get $offs) (i32.shl (local.get $q) (i32.const 2)))))
        (local.set $k1 (i32.load offset=4 (i32.add (local.get $offs) (i32.shl (local.get $q) (i32.const 2)))))
        (local.set $k2 (i32.load offset=8 (i32.add (local.get $offs) (i32.shl (local.get $q) (i32.const 2)))))
        (local.set $k3 (i32.load offset=12 (i32.add (local.get $offs) (i32.shl (local.get $q) (i32.const 2)))))
        (local.set $j (i32.const 0))
        (block $done
          (loop $cols
            (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
            (local.set $acc (v128.load (i32.add (local.get $y) (local.get $j))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $v0) (v128.load (i32.add (local.get $k0) (local.get $j))))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $v1) (v128.load (i32.add (local.get $k1) (local.get $j))))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $v2) (v128.load (i32.add (local.get $k2) (local.get $j))))))
            (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $v3) (v128.load (i32.add (local.get $k3) (local.get $j))))))
            (v128.store (i32.add (local.get $y) (local.get $j)) (local.get $acc))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols)))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (br $rows4)))

    ;; the remaining rows one at a time
    (block $done1
      (loop $rows1
        (br_if $done1 (i32.ge_s (local.get $q) (local.get $m)))
        (local.set $v0 (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $q) (i32.const 2))))))
        (local.set $k0 (i32.load (i32.add (local.get $offs) (i32.shl (local.get $q) (i32.const 2)))))
        (local.set $j (i32.const 0))
        (block $done
          (loop $cols
            (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
            (v128.store (i32.add (local.get $y) (local.get $j))
              (f32x4.add (v128.load (i32.add (local.get $y) (local.get $j)))
                (f32x4.mul (local.get $v0) (v128.load (i32.add (local.get $k0) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $rows1)))

    (if (i32.eq (local.get $act) (i32.const 2))
      (then (call $sigmoid (local.get $y) (local.get $end))))
    ;; ReLU
    (if (i32.eq (local.get $act) (i32.const 1))
      (then
        (local.set $j (i32.const 0))
        (block $done
          (loop $clamp
            (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
            (v128.store (i32.add (local.get $y) (local.get $j))
              (f32x4.max (v128.load (i32.add (local.get $y) (local.get $j))) (v128.const f32x4 0 0 0 0)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $clamp))))))
;; sigmoid(y, bytes): y = 1 / (1 + exp(-y)) in place, four at a time (bytes: a multiple of 16).
  ;; exp as in Cephes' expf: -y clamped to ±87.3, split as n·ln 2 + r (|r| ≤ ln 2 / 2, ln 2 in two
  ;; parts), e^r by its degree-7 polynomial, 2^n put into the exponent bits; about 1 ulp, so the
  ;; sigmoid agrees with JavaScript's Math.exp to float rounding (tested).
  (func $sigmoid (export "sigmoid") (param $y i32) (param $end i32)
    (local $j i32) (local $x v128) (local $n v128) (local $r v128) (local $p v128)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        ;; x = -y, clamped
        (local.set $x (f32x4.neg (v128.load (i32.add (local.get $y) (local.get $j)))))
        (local.set $x (f32x4.min (f32x4.max (local.get $x) (v128.const f32x4 -87.3 -87.3 -87.3 -87.3)) (v128.const f32x4 87.3 87.3 87.3 87.3)))
        ;; n = round(x / ln 2); r = x - n·ln2_hi - n·ln2_lo
        (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
        (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
        (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
        ;; e^r = 1 + r + r²·P(r)
        (local.set $p (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
        (local.set $p (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $r)) (local.get $r)) (local.get $r)) (v128.const f32x4 1 1 1 1)))
        ;; · 2^n (n in [-126, 126])
        (local.set $p (f32x4.mul (local.get $p)
          (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
        (v128.store (i32.add (local.get $y) (local.get $j))
          (f32x4.div (v128.const f32x4 1 1 1 1) (f32x4.add (v128.const f32x4 1 1 1 1) (local.get $p))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $each))))
)
