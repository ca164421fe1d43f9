# smimegw_module(NAME DEPS dep...)
#
# Creates the static library smimegw_NAME from src/NAME/**/*.cpp. Its public headers live in
# include/smimegw/NAME/. To make the module map enforceable, every module gets its own staged include
# root (build/modinc/NAME/smimegw/NAME -> include/smimegw/NAME): a module can include another
# module's headers only if it links that module, so a forbidden #include fails to compile.
#
# STORE_INTERFACES (db only): additionally sees every include/smimegw/*/*_store.hpp, the storage
# interfaces that other modules declare and db implements. Those headers may include only core.
function(smimegw_module name)
  cmake_parse_arguments(M "STORE_INTERFACES" "" "DEPS" ${ARGN})
  set(target smimegw_${name})
  set(pub ${PROJECT_SOURCE_DIR}/include/smimegw/${name})
  set(stage ${CMAKE_BINARY_DIR}/modinc/${name})
  file(MAKE_DIRECTORY ${pub} ${stage}/smimegw)
  if(NOT EXISTS ${stage}/smimegw/${name})
    file(CREATE_LINK ${pub} ${stage}/smimegw/${name} SYMBOLIC)
  endif()

  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  list(FILTER srcs EXCLUDE REGEX "/src/app/main\\.cpp$")
  if(NOT srcs)
    set(srcs ${CMAKE_BINARY_DIR}/generated/empty_${name}.cpp)
    file(WRITE ${srcs} "// module ${name} has no sources yet\n")
  endif()
  add_library(${target} STATIC ${srcs})
  target_include_directories(${target} PUBLIC ${stage} PRIVATE ${PROJECT_SOURCE_DIR}/src/${name})
  target_link_libraries(${target} PUBLIC ${M_DEPS})

  if(M_STORE_INTERFACES)
    set(ifroot ${CMAKE_BINARY_DIR}/modinc/store_interfaces)
    file(GLOB store_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/smimegw/*/*_store.hpp)
    foreach(h ${store_headers})
      get_filename_component(dir ${h} DIRECTORY)
      get_filename_component(mod ${dir} NAME)
      get_filename_component(fname ${h} NAME)
      file(MAKE_DIRECTORY ${ifroot}/smimegw/${mod})
      if(NOT EXISTS ${ifroot}/smimegw/${mod}/${fname})
        file(CREATE_LINK ${h} ${ifroot}/smimegw/${mod}/${fname} SYMBOLIC)
      endif()
    endforeach()
    target_include_directories(${target} PUBLIC ${ifroot})
  endif()
endfunction()
