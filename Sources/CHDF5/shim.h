#ifndef BELAY_CHDF5_SHIM_H
#define BELAY_CHDF5_SHIM_H
#include <hdf5.h>
#include <stdlib.h>
#include <string.h>
// HDF5's type ids and flags are macros (often expanding to run-time globals) that Swift cannot import.
static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t chdf5_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t chdf5_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t chdf5_p_default(void) { return H5P_DEFAULT; }
static inline hid_t chdf5_s_all(void) { return H5S_ALL; }
static inline hid_t chdf5_e_default(void) { return H5E_DEFAULT; }
static inline hid_t chdf5_p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t chdf5_p_file_create(void) { return H5P_FILE_CREATE; }
static inline hid_t chdf5_p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline unsigned chdf5_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned chdf5_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline herr_t chdf5_disable_auto_print(void) { return H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

// Visiting every hard link below a group. H5Lvisit and its info struct are versioned macros (1.10 vs 1.12+),
// so the visit happens here, in C, and Swift only sees names.
typedef int (*chdf5_name_callback)(const char *name, void *context);
struct chdf5_visit_context { chdf5_name_callback callback; void *context; };
static herr_t chdf5_visit_link_(hid_t group, const char *name, const H5L_info_t *info, void *data) {
    (void)group;
    struct chdf5_visit_context *visit = (struct chdf5_visit_context *)data;
    if (info->type != H5L_TYPE_HARD) { return 0; }
    return (herr_t)visit->callback(name, visit->context);
}
/// Calls `callback` with the path (relative to `group`) of every hard link below it, in name order.
static inline herr_t chdf5_visit_hard_links(hid_t group, chdf5_name_callback callback, void *context) {
    struct chdf5_visit_context visit = { callback, context };
    return H5Lvisit(group, H5_INDEX_NAME, H5_ITER_INC, chdf5_visit_link_, &visit);
}

// Walking the error stack (H5Ewalk and H5E_error_t are versioned macros as well).
typedef void (*chdf5_error_callback)(const char *function, const char *description, void *context);
struct chdf5_error_context { chdf5_error_callback callback; void *context; };
static herr_t chdf5_walk_error_(unsigned n, const H5E_error2_t *error, void *data) {
    (void)n;
    struct chdf5_error_context *walk = (struct chdf5_error_context *)data;
    walk->callback(error->func_name, error->desc, walk->context);
    return 0;
}
/// Takes the current error stack of this thread (clearing it), reports each entry innermost first, closes it.
static inline void chdf5_drain_error_stack(chdf5_error_callback callback, void *context) {
    hid_t stack = H5Eget_current_stack();
    if (stack < 0) { return; }
    struct chdf5_error_context walk = { callback, context };
    H5Ewalk2(stack, H5E_WALK_UPWARD, chdf5_walk_error_, &walk);
    H5Eclose_stack(stack);
}
// Reading a 1-D string dataset (fixed-length like NumPy's `S10`, or variable-length like h5py's `str` and
// `bytes` object arrays). Reclaiming variable-length memory is a versioned API, so all of it happens here and
// Swift only sees each string's bytes. Fixed-length strings are passed with their padding stripped of NULs.
typedef void (*chdf5_string_callback)(size_t index, const char *bytes, size_t length, void *context);
/// Reads the `count` strings of a 1-D string dataset; returns a negative value on failure (error stack set).
static inline herr_t chdf5_read_strings(hid_t dataset, size_t count, chdf5_string_callback callback, void *context) {
    hid_t filetype = H5Dget_type(dataset);
    if (filetype < 0) { return -1; }
    herr_t status = -1;
    htri_t variable = H5Tis_variable_str(filetype);
    H5T_cset_t cset = H5Tget_cset(filetype);
    hid_t memtype = H5Tcopy(H5T_C_S1);
    if (memtype >= 0 && variable > 0) {
        H5Tset_size(memtype, H5T_VARIABLE);
        H5Tset_cset(memtype, cset);
        char **data = (char **)calloc(count > 0 ? count : 1, sizeof(char *));
        if (data != NULL && H5Dread(dataset, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0) {
            for (size_t i = 0; i < count; i++) { callback(i, data[i], data[i] != NULL ? strlen(data[i]) : 0, context); }
            hid_t space = H5Dget_space(dataset);
#if H5_VERSION_GE(1, 12, 0)
            H5Treclaim(memtype, space, H5P_DEFAULT, data);
#else
            H5Dvlen_reclaim(memtype, space, H5P_DEFAULT, data);
#endif
            H5Sclose(space);
            status = 0;
        }
        free(data);
    } else if (memtype >= 0 && variable == 0) {
        size_t size = H5Tget_size(filetype);
        H5Tset_size(memtype, size > 0 ? size : 1);
        H5Tset_strpad(memtype, H5T_STR_NULLPAD);
        H5Tset_cset(memtype, cset);
        char *data = (char *)calloc((count > 0 ? count : 1) * (size > 0 ? size : 1), 1);
        if (data != NULL && H5Dread(dataset, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0) {
            for (size_t i = 0; i < count; i++) {
                const char *item = data + i * size;
                size_t length = 0;
                while (length < size && item[length] != '\0') { length++; }
                callback(i, item, length, context);
            }
            status = 0;
        }
        free(data);
    }
    if (memtype >= 0) { H5Tclose(memtype); }
    H5Tclose(filetype);
    return status;
}
#endif
