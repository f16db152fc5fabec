/* Upload page: drag and drop onto the drop zone, client-side size check, upload progress (htmx posts
   the form and swaps the result in). Loaded as a file: the CSP forbids inline scripts. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var input = form.querySelector('input[type="file"]');
  var zone = document.getElementById("dropzone");
  var fileName = document.getElementById("file-name");
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  var button = form.querySelector('button[type="submit"]');
  var maxBytes = parseInt(form.getAttribute("data-max-bytes") || "0", 10);
  // Texts in the page's language, from the form's data-msg-* attributes (the template translates them).
  function text(name, fallback) { return form.getAttribute("data-msg-" + name) || fallback; }

  function describe(file) {
    if (!file) { fileName.textContent = ""; return; }
    fileName.textContent = file.name + "（" + (file.size / 1048576).toFixed(1) + " MB）";
    status.textContent = maxBytes && file.size > maxBytes ? text("too-large", "文件超过大小上限，无法上传") : "";
  }

  function stop(event) { event.preventDefault(); event.stopPropagation(); }

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { stop(event); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) { stop(event); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    var files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length) {
      input.files = files;
      describe(files[0]);
    }
  });
  zone.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") { stop(event); input.click(); }
  });
  input.addEventListener("change", function () { describe(input.files[0]); });

  form.addEventListener("htmx:beforeRequest", function (event) {
    var file = input.files[0];
    if (file && maxBytes && file.size > maxBytes) { event.preventDefault(); return; }
    bar.hidden = false;
    bar.value = 0;
    status.textContent = text("uploading", "正在上传……");
    button.disabled = true;
  });
  form.addEventListener("htmx:xhr:progress", function (event) {
    if (!event.detail.lengthComputable) { return; }
    bar.value = Math.round(event.detail.loaded / event.detail.total * 100);
    if (bar.value >= 100) { status.textContent = text("processing", "上传完成，正在校验和写入……"); }
  });
  form.addEventListener("htmx:afterRequest", function (event) {
    bar.hidden = true;
    button.disabled = false;
    status.textContent = event.detail.successful ? "" : text("failed", "上传失败，请稍后重试");
  });
})();
