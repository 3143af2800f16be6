//! The analyzer's WebAssembly interface, for the browser's search script:
//! `alloc(len)` → pointer where the caller writes UTF-8 input, then
//! `analyze(lang_ptr, lang_len, text_ptr, text_len)` → pointer to a result of
//! `[u32 little-endian length][terms joined by '\n']`, valid until the next call.

use std::cell::RefCell;

thread_local! {
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len);
    let ptr = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    ptr
}

/// # Safety
/// `ptr` must come from `alloc(len)` with the same `len`.
#[no_mangle]
pub unsafe extern "C" fn dealloc(ptr: *mut u8, len: usize) {
    drop(Vec::from_raw_parts(ptr, 0, len));
}

/// # Safety
/// Both ranges must be initialised memory written by the caller after `alloc`.
#[no_mangle]
pub unsafe extern "C" fn analyze(
    lang_ptr: *const u8,
    lang_len: usize,
    text_ptr: *const u8,
    text_len: usize,
) -> *const u8 {
    let lang = String::from_utf8_lossy(std::slice::from_raw_parts(lang_ptr, lang_len)).into_owned();
    let text = String::from_utf8_lossy(std::slice::from_raw_parts(text_ptr, text_len)).into_owned();
    let joined = crate::Analyzer::for_language(&lang).terms(&text).join("\n");
    OUTPUT.with(|out| {
        let mut out = out.borrow_mut();
        out.clear();
        out.extend_from_slice(&(joined.len() as u32).to_le_bytes());
        out.extend_from_slice(joined.as_bytes());
        out.as_ptr()
    })
}
